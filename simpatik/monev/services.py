"""Monitoring and evaluation of the SOP (Permen PANRB 35/2012 on SOP AP): every six months and
every year the holders of `evaluasi_sop` answer the evaluation questionnaire beside the monitoring
figures of the period; signing makes the sealed "Laporan Monitoring dan Evaluasi SOP" and freezes
the evaluation. A recommendation from a signed evaluation becomes a draft SOP revision in one
action, through the loader's own checks; the version in force is never touched.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from simpatik.accounts.permissions import can, require
from simpatik.audit.services import record
from simpatik.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from simpatik.letters.services import issue_sealed
from simpatik.monev.models import Evaluation, Revision
from simpatik.monev.monitoring import monitoring_figures
from simpatik.monev.periods import Period, parse_period
from simpatik.monev.questions import ANSWERS, QUESTIONS
from simpatik.monev.recommendations import recommendations, with_waktu
from simpatik.monev.report import report_context
from simpatik.sop.definition import DefinitionError
from simpatik.sop.services import active_version, save_draft

KIND = "laporan_monitoring_evaluasi"
NOTE_MAX = 1000


def may_read(user) -> bool:
    return can(user, "lihat_dasbor") or can(user, "evaluasi_sop")


def require_reader(user) -> None:
    if not may_read(user):
        raise PermissionDenied(
            _("Monitoring dan evaluasi SOP hanya untuk pemegang dasbor pengawasan."),
            code="forbidden",
        )


def _require_evaluator(user) -> None:
    require(user, "evaluasi_sop", message=_("Hanya evaluator SOP yang dapat melakukan ini."))


def period_of(evaluation: Evaluation) -> Period:
    return Period(evaluation.periode, evaluation.start, evaluation.end)


def figures_for(evaluation: Evaluation) -> dict:
    """The monitoring form: as the signed report printed it, or as the records say now."""
    if evaluation.final:
        return evaluation.figures
    figures = monitoring_figures(period_of(evaluation), evaluation.sop_version)
    figures["recommendations"] = recommendations(figures)
    return figures


def start_evaluation(period_text: str, *, actor, via: str = "") -> tuple[Evaluation, bool]:
    """The period's evaluation of the SOP in force, begun now if there is none: (it, begun?)."""
    _require_evaluator(actor)
    period = parse_period(period_text)
    version = active_version()
    found = Evaluation.objects.filter(kode=version.kode, periode=period.key).first()
    if found is not None:
        return found, False
    try:
        with transaction.atomic():
            evaluation = Evaluation.objects.create(
                kode=version.kode,
                periode=period.key,
                start=period.start,
                end=period.end,
                sop_version=version,
                created_by=actor,
            )
            record(
                "monev.evaluation.started",
                actor=actor,
                obj=evaluation,
                via=via,
                data={"periode": period.key, "sop_version": version.version},
            )
    except IntegrityError:
        # Someone else began it at the same moment: theirs is the evaluation.
        return Evaluation.objects.get(kode=version.kode, periode=period.key), False
    return evaluation, True


def check_answers(raw: dict) -> tuple[dict, dict]:
    """(clean answers, errors by question key): each question needs Ya or Tidak; a Tidak needs
    a note saying what does not work."""
    answers, errors = {}, {}
    choices = {value for value, _label in ANSWERS}
    for key, _text in QUESTIONS:
        given = raw.get(key) if isinstance(raw.get(key), dict) else {}
        value = str(given.get("jawaban") or "").strip()
        note = str(given.get("catatan") or "").strip()
        answers[key] = {"jawaban": value, "catatan": note}
        if value not in choices:
            errors[key] = _("Pilih Ya atau Tidak.")
        elif len(note) > NOTE_MAX:
            errors[key] = _("Catatan paling panjang %(n)d karakter.") % {"n": NOTE_MAX}
        elif value == "tidak" and not note:
            errors[key] = _("Jawaban Tidak perlu catatan: apa yang belum berjalan?")
    return answers, errors


def _locked(evaluation: Evaluation) -> Evaluation:
    locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
    if locked.final:
        raise Conflict(
            _("Evaluasi ini sudah ditandatangani dan tidak dapat diubah lagi."),
            code="evaluation_final",
        )
    return locked


def save_answers(evaluation: Evaluation, raw: dict, *, actor, via: str = "") -> Evaluation:
    """Keep the evaluator's answers (all questions at once); nothing is kept when one is wrong."""
    _require_evaluator(actor)
    answers, errors = check_answers(raw)
    if errors:
        raise ValidationError(
            _("Jawaban evaluasi belum lengkap atau tidak sah."),
            code="answers_invalid",
            data={"errors": errors, "answers": answers},
        )
    with transaction.atomic():
        locked = _locked(evaluation)
        Evaluation.objects.filter(pk=locked.pk).update(answers=answers)
        record(
            "monev.evaluation.answered",
            actor=actor,
            obj=locked,
            via=via,
            data={
                "periode": locked.periode,
                "ya": sum(1 for a in answers.values() if a["jawaban"] == "ya"),
                "tidak": sum(1 for a in answers.values() if a["jawaban"] == "tidak"),
            },
        )
    return Evaluation.objects.get(pk=evaluation.pk)


def finish_evaluation(evaluation: Evaluation, *, actor, via: str = "") -> Evaluation:
    """Sign: the report is numbered, rendered and sealed, and the evaluation frozen with it."""
    _require_evaluator(actor)
    with transaction.atomic():
        locked = _locked(evaluation)
        _answers, errors = check_answers(locked.answers)
        if errors:
            raise ValidationError(
                _("Jawab semua pertanyaan evaluasi sebelum menandatangani laporan."),
                code="answers_incomplete",
                data={"errors": errors},
            )
        figures = figures_for(locked)
        with translation.override("id"):  # the document is Indonesian whatever the screen is
            context = report_context(locked, figures, evaluator=actor)
            title = f"Laporan Monitoring dan Evaluasi SOP {period_of(locked).label}"
            letter = issue_sealed(
                KIND,
                context,
                requested_by=actor,
                title=title,
                via=via,
                data={"periode": locked.periode},
            )
        Evaluation.objects.filter(pk=locked.pk, status=Evaluation.Status.DRAF).update(
            status=Evaluation.Status.SELESAI,
            figures=figures,
            letter=letter,
            evaluator=actor,
            finished_at=timezone.now(),
        )
        record(
            "monev.evaluation.finished",
            actor=actor,
            obj=locked,
            via=via,
            data={"periode": locked.periode, "number": letter.number},
        )
    return Evaluation.objects.select_related("letter").get(pk=evaluation.pk)


def make_revision(evaluation: Evaluation, key: str, *, actor, via: str = "") -> Revision:
    """The draft SOP revision a signed evaluation's recommendation proposes (made once)."""
    _require_evaluator(actor)
    if not evaluation.final:
        raise Conflict(
            _("Tandatangani laporan evaluasi lebih dulu; rekomendasinya berasal dari laporan itu."),
            code="evaluation_not_final",
        )
    found = Revision.objects.filter(evaluation=evaluation, recommendation=key).first()
    if found is not None:
        return found
    wanted = next(
        (r for r in evaluation.figures.get("recommendations", ()) if r["key"] == key), None
    )
    if wanted is None or not wanted.get("revisable"):
        raise NotFound(
            _("Rekomendasi ini tidak mengusulkan perubahan teks SOP."), code="no_revision"
        )
    base = active_version(evaluation.kode)
    current = base.definition.step(wanted["step"]).waktu
    if current is not None and current >= wanted["proposed_waktu"]:
        raise Conflict(
            _("Waktu langkah %(n)d pada SOP yang berlaku sudah %(waktu)d hari kerja.")
            % {"n": wanted["step"], "waktu": current},
            code="already_revised",
        )
    note = _("Waktu langkah %(n)d: %(old)s menjadi %(new)d hari kerja (evaluasi %(period)s)") % {
        "n": wanted["step"],
        "old": current,
        "new": wanted["proposed_waktu"],
        "period": evaluation.periode,
    }
    text = with_waktu(
        base.source,
        wanted["step"],
        wanted["proposed_waktu"],
        comment=f"Draf revisi dari {evaluation.letter.number}: {note}",
    )
    try:
        with transaction.atomic():
            draft = save_draft(text, actor=actor, note=note, via=via)
            revision = Revision.objects.create(
                evaluation=evaluation, recommendation=key, sop_version=draft, created_by=actor
            )
            record(
                "monev.revision.drafted",
                actor=actor,
                obj=evaluation,
                via=via,
                data={"periode": evaluation.periode, "version": draft.version, "note": note},
            )
    except DefinitionError as exc:
        raise ValidationError(
            _("Draf revisi ditolak pemeriksaan SOP: %(problems)s")
            % {"problems": "; ".join(exc.problems)},
            code="revision_invalid",
        ) from exc
    except IntegrityError:
        return Revision.objects.get(evaluation=evaluation, recommendation=key)
    return revision
