from allauth.account import views as account_views
from django.urls import path

from simpatik.accounts import views

# /masuk/ and /keluar/ stay the addresses people know; they are allauth's views. Declared after
# allauth's own urls, so reverse("account_login") gives /masuk/.
urlpatterns = [
    path("masuk/", account_views.login, name="account_login"),
    path("masuk/", account_views.login, name="login"),
    path("keluar/", account_views.logout, name="account_logout"),
    path("keluar/", account_views.logout, name="logout"),
    path("delegasi/", views.delegations, name="delegations"),
    path("delegasi/semua/", views.all_delegations, name="delegations_all"),
    path("delegasi/<int:pk>/akhiri/", views.end_delegation, name="delegation_end"),
]
