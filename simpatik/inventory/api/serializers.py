from rest_framework import serializers

from simpatik.accounts.models import Opd
from simpatik.core.api import RecordId
from simpatik.inventory.fields import EDITABLE
from simpatik.inventory.models import Application


class ApplicationSerializer(serializers.ModelSerializer):
    opd = RecordId(queryset=Opd.objects.all())
    opd_nama = serializers.CharField(source="opd.nama", read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            *EDITABLE,
            "opd_nama",
            "project",
            "diarsipkan",
            "archived_reason",
            "created_at",
            "updated_at",
        ]
        read_only_fields = [
            "id",
            "project",
            "diarsipkan",
            "archived_reason",
            "created_at",
            "updated_at",
        ]
        # Uniqueness is checked by the service inside its transaction, with a stable error code.
        validators = []
