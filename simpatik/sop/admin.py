from django.contrib import admin

from simpatik.sop.models import SopVersion


@admin.register(SopVersion)
class SopVersionAdmin(admin.ModelAdmin):
    list_display = ("kode", "version", "judul", "berlaku", "loaded_at")
    readonly_fields = [f.name for f in SopVersion._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
