from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

User = settings.AUTH_USER_MODEL


class NeedQuerySet(models.QuerySet):
    def visible_to(self, user):
        from simpatik.accounts.permissions import sees_everything, staff_opd

        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        opd_id = staff_opd(user)
        if opd_id:
            return self.filter(opd_id=opd_id)
        return self.none()

    @staticmethod
    def sees(user, need) -> bool:
        """visible_to for one usulan already read: whether `user` may open it."""
        from simpatik.accounts.permissions import sees_everything, staff_opd

        if not user.is_authenticated:
            return False
        return sees_everything(user) or bool(staff_opd(user) and user.opd_id == need.opd_id)


class Need(models.Model):
    """An usulan kebutuhan aplikasi: an OPD's request for an application (the daftar kebutuhan)."""

    class Status(models.TextChoices):
        DIAJUKAN = "diajukan", _("Diajukan")
        DIPROSES = "diproses", _("Diproses menjadi proyek")
        DITOLAK = "ditolak", _("Ditolak")
        DITARIK = "ditarik", _("Ditarik oleh pengusul")

    nomor = models.CharField(_("nomor usulan"), max_length=30, unique=True)
    judul = models.CharField(_("nama aplikasi yang diusulkan"), max_length=200)
    opd = models.ForeignKey(
        "accounts.Opd",
        on_delete=models.PROTECT,
        related_name="needs",
        verbose_name=_("OPD pengusul"),
    )
    latar_belakang = models.TextField(_("latar belakang dan kebutuhan"))
    tujuan = models.TextField(_("tujuan dan manfaat"), blank=True)
    pengguna_sasaran = models.CharField(_("pengguna sasaran"), max_length=300, blank=True)
    nomor_surat = models.CharField(_("nomor surat permohonan"), max_length=100, blank=True)
    tanggal_surat = models.DateField(_("tanggal surat"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DIAJUKAN
    )
    status_reason = models.TextField(_("alasan"), blank=True)
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("diajukan"), auto_now_add=True)

    objects = NeedQuerySet.as_manager()

    class Meta:
        verbose_name = _("usulan kebutuhan aplikasi")
        verbose_name_plural = _("usulan kebutuhan aplikasi")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["-created_at", "-id"], name="need_newest_first")]

    def __str__(self):
        return f"{self.nomor} {self.judul}"

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("projects:need", args=[self.pk])

    @property
    def shown_status(self) -> tuple[str, str]:
        """(code, label) as the OPD should read it: a taken-up need follows its project."""
        project = getattr(self, "project", None) if self.status == self.Status.DIPROSES else None
        if project is None:
            return self.status, self.get_status_display()
        labels = {
            Project.Status.BERJALAN: _("Sedang dikerjakan"),
            Project.Status.DITANGGUHKAN: _("Ditangguhkan"),
            Project.Status.SELESAI: _("Selesai"),
        }
        return project.status, labels.get(project.status, project.get_status_display())


class NeedAttachment(models.Model):
    """A document an OPD attached to its usulan; a replacement is a new row, the old one stays."""

    need = models.ForeignKey(Need, on_delete=models.PROTECT, related_name="attachments")
    key = models.SlugField(_("kunci"), max_length=60)
    name = models.CharField(_("nama berkas"), max_length=150)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64)
    path = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        verbose_name = _("lampiran usulan")
        verbose_name_plural = _("lampiran usulan")
        ordering = ["key", "-uploaded_at", "-id"]

    def __str__(self):
        return self.name

    def open(self):
        from django.core.files.storage import default_storage

        return default_storage.open(self.path, "rb")


class ProjectQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Projects a user may see: Diskominfo oversight all, a team its own (or the team of an
        official they stand in for), an OPD's staff their OPD's and those with a part for it (a
        vendor, not its OPD's staff, only its team's: permissions.staff_opd)."""
        from simpatik.accounts import delegation
        from simpatik.accounts.permissions import sees_everything, staff_opd

        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        # A subquery, not a join on members: a join repeats a project per membership and needs
        # DISTINCT, which sorts every visible project before the first page can be cut.
        teams = ProjectMember.objects.filter(user=user, aktif=True).values("project_id")
        condition = Q(pk__in=teams)
        condition |= delegation.team_covered(user)
        opd_id = staff_opd(user)
        if opd_id:
            condition |= Q(opd_id=opd_id)
            # A project with a part for the user's OPD (a census: `untuk_setiap: opd`).
            parts = StepRun.objects.filter(opd_id=opd_id).values("project_id")
            condition |= Q(pk__in=parts)
        return self.filter(condition)


class ProjectScopedQuerySet(models.QuerySet):
    """For what hangs from a project (letters, documents, repositories, subdomains, pages): the
    user sees it when they see its project."""

    def visible_to(self, user):
        from simpatik.accounts.permissions import sees_everything

        if not user.is_authenticated:
            return self.none()
        if sees_everything(user):
            return self
        return self.filter(project__in=Project.objects.visible_to(user))


class Project(models.Model):
    """One application being developed under an SOP version; its steps are StepRuns."""

    class Status(models.TextChoices):
        BERJALAN = "berjalan", _("Berjalan")
        DITANGGUHKAN = "ditangguhkan", _("Ditangguhkan")
        SELESAI = "selesai", _("Selesai")

    kode = models.CharField(_("kode proyek"), max_length=30, unique=True)
    nama = models.CharField(_("nama aplikasi"), max_length=200)
    deskripsi = models.TextField(_("deskripsi"), blank=True)
    opd = models.ForeignKey(
        "accounts.Opd", on_delete=models.PROTECT, related_name="projects", verbose_name=_("OPD")
    )
    need = models.OneToOneField(
        Need,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="project",
        verbose_name=_("usulan"),
    )
    sop_version = models.ForeignKey(
        "sop.SopVersion",
        on_delete=models.PROTECT,
        related_name="projects",
        verbose_name=_("versi SOP"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.BERJALAN, db_index=True
    )
    created_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("dimulai"), auto_now_add=True)
    finished_at = models.DateTimeField(_("selesai"), null=True, blank=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("proyek")
        verbose_name_plural = _("proyek")
        ordering = ["-created_at", "-id"]
        # The project list reads its first page off this index instead of sorting every project.
        indexes = [
            models.Index(fields=["-created_at", "-id"], name="project_newest_first"),
            # The running projects' ids, from the index alone, for what joins open steps to
            # running projects (workload when assigning, the deadline sweep, oversight). The task
            # lists need no such join (an open run's project is running: StepRun).
            models.Index(fields=["id"], condition=Q(status="berjalan"), name="project_running"),
        ]

    def __str__(self):
        return f"{self.kode} {self.nama}"

    def get_absolute_url(self):
        from simpatik.core.rows import url_of  # the URL pattern reversed once per process

        return url_of("projects:project", self.pk)

    @property
    def definition(self):
        from simpatik.core.context import request_memo_active
        from simpatik.sop.models import definitions_by_version

        # In a request the stored versions are read once (their content never changes), so a
        # list needs neither a join to sop_version nor a query per project to know its SOP.
        if request_memo_active() and not Project.sop_version.is_cached(self):
            found = definitions_by_version().get(self.sop_version_id)
            if found is not None:
                return found
        return self.sop_version.definition


class ProjectMember(models.Model):
    """A person assigned to a project's team (Tim Pengembang assigned at step 8)."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="members")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="memberships")
    role_key = models.SlugField(max_length=30)
    aktif = models.BooleanField(default=True)
    added_by = models.ForeignKey(User, null=True, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("anggota tim")
        verbose_name_plural = _("anggota tim")
        constraints = [
            models.UniqueConstraint(fields=["project", "user", "role_key"], name="member_unique"),
        ]

    def __str__(self):
        return f"{self.user} ({self.role_key}) di {self.project.kode}"


# The columns of a step run that every list of runs prints (step, round, role, state and dates);
# each list names these and whatever else it reads.
RUN_ROW_COLUMNS = (
    "step_number",
    "round",
    "role_key",
    "status",
    "opened_at",
    "due_date",
    "completed_at",
)


class StepRunQuerySet(models.QuerySet):
    def actionable_by(self, user):
        """Runs `can(user, "kerjakan_langkah", run)` allows, as one query for a whole list: the
        step's role is one of the user's, a role scoped to the requesting OPD is the user's own
        OPD's and, for a role the project's SOP assigns per project (`team_roles`) that has a
        team on the project, the user is in it (rules.eligible, run by run)."""
        if not (user.is_authenticated and user.is_active):
            return self.none()
        runs = self.filter(role_key__in=user.role_keys())
        closed = self._closed_team(user)
        if closed is not None:
            runs = runs.exclude(closed)
        out_of_scope = self._out_of_scope(user)
        return runs.exclude(out_of_scope) if out_of_scope else runs

    @staticmethod
    def _closed_team(user):
        """Runs of a team role of the project's SOP version whose (project, role) has an active
        member and none of them is this user (or an official this user stands in for as Plh/Plt
        today). None when the user holds no team role: most users (Kasie, Kabid, Kadis) don't,
        and their lists then carry no team condition for the database to plan."""
        from simpatik.accounts import delegation
        from simpatik.sop.models import definitions_by_version

        team_runs = Q()
        for pk, definition in definitions_by_version().items():
            keys = definition.team_roles & user.role_keys()
            if keys:
                team_runs |= Q(project__sop_version_id=pk, role_key__in=keys)
        if not team_runs:
            return None

        def team():  # the active members for the (project, role) of the row around it
            return ProjectMember.objects.filter(
                project_id=models.OuterRef("project_id"),
                role_key=models.OuterRef("role_key"),
                aktif=True,
            )

        # One nested NOT EXISTS is an anti-join on the members' index; "no team OR in the team"
        # as two EXISTS made PostgreSQL hash every membership of the installation per query.
        delegation.loaded(user)
        officials = set().union(*(delegation.covered(user, key) for key in user._covering))
        mine = team().filter(Q(user=user) | Q(user_id__in=officials))
        return team_runs & models.Exists(team().filter(~models.Exists(mine)))

    @staticmethod
    def _out_of_scope(user) -> Q:
        """Runs of a role scoped to the requesting OPD (`lingkup: opd`, per SOP version) on
        projects of another OPD than the user's (rules.in_scope, as a condition)."""
        from simpatik.sop.models import definitions_by_version

        scoped = Q()
        for pk, definition in definitions_by_version().items():
            keys = definition.opd_roles & user.role_keys()
            if keys:
                scoped |= Q(project__sop_version_id=pk, role_key__in=keys)
        if scoped and user.opd_id:
            # An OPD's part of a step run once per OPD belongs to that OPD, not the project's.
            other = Q(opd__isnull=True) & ~Q(project__opd_id=user.opd_id)
            scoped &= other | (Q(opd__isnull=False) & ~Q(opd_id=user.opd_id))
        return scoped


class StepRun(models.Model):
    """One opening of an SOP step in a project; loops back make a new run with a higher round.

    An open run (`berjalan`) belongs to a running project. Only the engine opens and closes runs,
    and it suspends or ends a project only as it completes the step that says so, the project's
    one open run: the SOP validator refuses `suspend`/`end` on a step run once per OPD, the only
    place where several runs are open at once. The task lists rely on it: they read open runs
    without joining every running project (tests: test_engine's suspension and whole path,
    test_bench_generate's histories); the engine still refuses a step of a stopped project.
    """

    class Status(models.TextChoices):
        BERJALAN = "berjalan", _("Berjalan")
        SELESAI = "selesai", _("Selesai")

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="step_runs")
    step_number = models.PositiveIntegerField(_("langkah"))
    # A database default, so the INSERT that opens a step returns the round it counted.
    round = models.PositiveIntegerField(_("putaran"), default=1, db_default=1)
    role_key = models.SlugField(_("pelaksana"), max_length=30)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.BERJALAN)
    opened_at = models.DateTimeField(_("dibuka"))
    due_date = models.DateField(_("batas waktu"), null=True, blank=True)
    assignee = models.ForeignKey(
        User,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_steps",
        verbose_name=_("dikerjakan oleh"),
    )
    completed_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    completed_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decision = models.CharField(_("keputusan"), max_length=50, blank=True)
    reason = models.TextField(_("alasan"), blank=True)
    values = models.JSONField(_("isian"), default=dict, blank=True)
    # Written at completion so the oversight figures aggregate in SQL: working days from opening
    # to completion (local dates), and whether it finished by its due date.
    working_days = models.IntegerField(_("lama (hari kerja)"), null=True, blank=True)
    tepat_waktu = models.BooleanField(_("tepat waktu"), null=True, blank=True)
    # What the person typed while the step is open, kept as typed (even when not yet valid);
    # the cleaned values go into `values` only when they are valid.
    draft = models.JSONField(_("draf isian"), default=dict, blank=True)
    # A decision step's choice and reason as typed, kept with the draft until the step completes.
    draft_decision = models.CharField(
        _("keputusan (draf)"), max_length=100, blank=True, default="", db_default=""
    )
    draft_reason = models.TextField(_("alasan (draf)"), blank=True, default="", db_default="")
    draft_saved_at = models.DateTimeField(_("draf disimpan"), null=True, blank=True)
    # The OPD whose part this is, for a step the SOP runs once per OPD (`untuk_setiap: opd`).
    opd = models.ForeignKey(
        "accounts.Opd",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("bagian OPD"),
    )

    objects = StepRunQuerySet.as_manager()

    class Meta:
        verbose_name = _("pelaksanaan langkah")
        verbose_name_plural = _("pelaksanaan langkah")
        ordering = ["opened_at", "id"]
        constraints = [
            # At most one open run of a step per project: the database refuses a double open.
            models.UniqueConstraint(
                fields=["project", "step_number"],
                condition=Q(status="berjalan", opd__isnull=True),
                name="one_open_run_per_step",
            ),
            # A step run once per OPD: at most one open run of each OPD's part.
            models.UniqueConstraint(
                fields=["project", "step_number", "opd"],
                condition=Q(status="berjalan", opd__isnull=False),
                name="one_open_run_per_step_opd",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "step_number"]),
            models.Index(fields=["completed_at"], name="steprun_completed_idx"),
            # Tugas Saya and the tasks API: the open runs of a user's roles, by due date, with
            # every column their totals read (PostgreSQL counts a user's 618 open steps at
            # 10,000 projects from the index alone, and a page walks it in order).
            models.Index(
                fields=["role_key", "due_date"],
                include=["id", "opened_at", "project", "assignee"],
                condition=Q(status="berjalan"),
                name="steprun_open_tasks",
            ),
            # Open runs in the order Tugas Saya, its late list and the tasks API show them: a
            # page walks the index and stops after its rows instead of sorting every late run
            # of several roles (the late list read 1,175 rows for 11 at 10,000 projects).
            models.Index(
                fields=["due_date", "opened_at", "id"],
                condition=Q(status="berjalan"),
                name="steprun_by_due_date",
            ),
            # The oversight figures of a period (oversight.stats): every column they group or
            # join completed runs by, so PostgreSQL answers from the index alone (an index-only
            # scan) instead of reading the wide rows; over a year of 10,000 projects that is
            # ~65,000 runs read from ~1,000 index pages instead of ~10,000 table pages.
            models.Index(
                fields=[
                    "completed_at",
                    "step_number",
                    "working_days",
                    "tepat_waktu",
                    "decision",
                    "completed_by",
                    "project",
                ],
                condition=Q(status="selesai"),
                name="steprun_done",
            ),
            # The rounds each reopened step reached per project (the dashboard's loop figures).
            models.Index(fields=["step_number", "project", "round"], name="steprun_rounds"),
        ]

    def __str__(self):
        return f"{self.project.kode} langkah {self.step_number} putaran {self.round}"

    @property
    def step(self):
        return self.project.definition.step(self.step_number)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.BERJALAN


class Document(models.Model):
    """An uploaded file for a Kelengkapan or Output item; a new upload of the same key is a new version."""

    project = models.ForeignKey(Project, on_delete=models.PROTECT, related_name="documents")
    step_run = models.ForeignKey(StepRun, on_delete=models.PROTECT, related_name="documents")
    key = models.SlugField(_("kunci"), max_length=60)
    version = models.PositiveIntegerField(_("versi"))
    name = models.CharField(_("nama berkas"), max_length=150)
    mime = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField(_("ukuran"))
    sha256 = models.CharField(max_length=64, db_index=True)
    path = models.CharField(max_length=200)
    uploaded_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    objects = ProjectScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("dokumen")
        verbose_name_plural = _("dokumen")
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["project", "key", "version"], name="document_version"),
        ]

    def __str__(self):
        return f"{self.name} (v{self.version})"

    def open(self):
        from django.core.files.storage import default_storage

        return default_storage.open(self.path, "rb")
