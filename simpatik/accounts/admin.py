from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from simpatik.accounts.models import Opd, Role, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (
        ("SIMPATIK", {"fields": ("nip", "nik", "jabatan", "pangkat_golongan", "opd", "roles")}),
    )
    list_display = ("username", "first_name", "last_name", "opd", "is_active")
    filter_horizontal = ("roles", "groups", "user_permissions")


@admin.register(Opd)
class OpdAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "singkatan", "aktif")
    search_fields = ("nama", "singkatan")


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    list_display = ("key", "nama", "jabatan")
