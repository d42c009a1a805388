from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from simpatik.accounts import services
from simpatik.accounts.models import Delegation, Opd, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("SIMPATIK", {"fields": ("nip", "nik", "jabatan", "pangkat_golongan", "opd", "roles")}),
    )
    list_display = ("username", "first_name", "last_name", "opd", "is_active")
    filter_horizontal = ("roles", "groups", "user_permissions")

    def save_model(self, request, obj, form, change):
        # Roles and OPD change only through accounts.services, which audits them: keep the old
        # OPD for the plain save and hand the new one to the service in save_related.
        if change and "opd" in form.changed_data:
            obj._new_opd = obj.opd
            obj.opd_id = form.initial.get("opd")
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        roles = form.cleaned_data.pop("roles", None)
        super().save_related(request, form, formsets, change)
        user = form.instance
        services.set_access(
            user,
            actor=request.user,
            roles=list(roles) if roles is not None else None,
            opd=user.__dict__.pop("_new_opd", services.KEEP),
            via="admin",
        )


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "singkatan", "aktif")
    search_fields = ("nama", "singkatan")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Roles are the SOP file's (loaded with it): shown here, changed only by a revised SOP."""

    list_display = ("key", "nama", "jabatan")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Delegation)
class DelegationAdmin(admin.ModelAdmin):
    """Shown here; made and ended on /delegasi/ (audited there), never edited in the admin."""

    list_display = ("role", "kind", "to_user", "from_user", "starts_on", "ends_on", "revoked_at")
    list_filter = ("kind", "role")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
