"""The public catalogue (UU 14/2008): active public applications, no login, no private field."""

import json

from django.http import HttpResponse
from django.shortcuts import render

from simpatik.accounts.models import Opd
from simpatik.core.pages import paginate
from simpatik.inventory import queries
from simpatik.inventory.fields import HEADER_LABELS, PUBLIC
from simpatik.inventory.models import Application
from simpatik.inventory.spreadsheet import to_csv


def _public(request):
    applications = Application.objects.public().select_related("opd")
    params = {k: request.GET.get(k) for k in ("q", "opd", "kategori")}
    return queries.filter_applications(applications, params).only(
        *PUBLIC, "opd__nama", "opd__singkatan"
    )


def catalogue(request):
    page = paginate(request, _public(request))
    opds = Opd.objects.filter(applications__in=Application.objects.public()).distinct()
    return render(
        request,
        "inventory/catalogue.html",
        {
            "page": page,
            "opds": opds,
            "kategori": Application.Kategori.choices,
            "q": request.GET.get("q", ""),
            "opd": request.GET.get("opd", ""),
            "selected_kategori": request.GET.get("kategori", ""),
        },
    )


def catalogue_json(request):
    body = json.dumps(queries.public_json(_public(request)), ensure_ascii=False, indent=1)
    response = HttpResponse(body.encode(), content_type="application/json")
    response["Access-Control-Allow-Origin"] = "*"  # open data: anyone may read it
    return response


def catalogue_csv(request):
    rows = queries.public_json(_public(request))
    body = to_csv(
        [HEADER_LABELS[name] for name in PUBLIC], [[row[name] for name in PUBLIC] for row in rows]
    )
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="katalog-aplikasi.csv"'
    return response
