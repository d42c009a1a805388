from django.core.management.base import BaseCommand, CommandError

from simpatik.accounts.commands import add_operator_argument, operator_from
from simpatik.core.context import request_id_scope
from simpatik.core.input_guard import is_number
from simpatik.projects.models import Project
from simpatik.provisioning import services
from simpatik.provisioning.models import Repository


class Command(BaseCommand):
    help = "Sediakan (ulang) repositori proyek: simpatik repo provision KODE-PROYEK"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["provision"])
        parser.add_argument("project", help="kode proyek (mis. PRJ-2026-0001) atau id")
        add_operator_argument(parser)

    def handle(self, *args, project, **options):
        actor = operator_from(options, "kelola_penyediaan")
        found = Project.objects.filter(kode=project).first() or (
            Project.objects.filter(pk=project).first() if is_number(project) else None
        )
        if found is None:
            raise CommandError(f"Proyek '{project}' tidak ditemukan.")
        with request_id_scope():
            repository = Repository.objects.filter(project=found).first()
            if repository is None:
                from django.db import transaction

                with transaction.atomic():
                    repository = services.request_repository(found, actor=actor, via="cli")
            repository = services.provision_repository(repository, actor=actor, via="cli")
        if repository.status != Repository.Status.SIAP:
            raise CommandError(f"Gagal: {repository.error}")
        self.stdout.write(f"Siap: {repository.clone_url}")
