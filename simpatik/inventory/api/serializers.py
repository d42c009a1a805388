from rest_framework import serializers

from simpatik.accounts.models import Opd
from simpatik.core.api import RecordId, WholeNumber
from simpatik.inventory.fields import EDITABLE, nip_refusal
from simpatik.inventory.models import Application


class ApplicationSerializer(serializers.ModelSerializer):
    opd = RecordId(queryset=Opd.objects.all())
    opd_nama = serializers.CharField(source="opd.nama", read_only=True)
    # As the web form: a year in the digits 0-9 ("٢٠٢٠" is refused, not stored as 2020).
    tahun_dibangun = WholeNumber(required=False, allow_null=True)
    tahun_pengembangan = WholeNumber(required=False, allow_null=True)

    def validate_pj_nip(self, value):
        refused = nip_refusal(value)
        if refused:
            raise serializers.ValidationError(refused)
        return value

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
