from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from simpatik.notifications import services
from simpatik.notifications.models import Notification


class NotificationSerializer(serializers.ModelSerializer):
    project = serializers.SerializerMethodField()
    step = serializers.IntegerField(source="step_number", allow_null=True)
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "event", "project", "step", "message", "url", "created_at", "read"]

    def get_project(self, notification) -> int | None:
        return notification.project_id

    def get_read(self, notification) -> bool:
        return notification.read_at is not None


class NotificationList(generics.ListAPIView):
    """The current user's notifications, newest first."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        return Notification.objects.filter(recipient=self.request.user).order_by(
            "-created_at", "-id"
        )


class NotificationRead(APIView):
    @extend_schema(request=None, responses=NotificationSerializer)
    def post(self, request, pk):
        return Response(NotificationSerializer(services.mark_read(request.user, pk)).data)
