"""Monitoring dan evaluasi SOP: the list of evaluations, one evaluation's monitoring form and
questionnaire, signing its report, and a recommendation turned into a draft SOP revision."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from simpatik.accounts.permissions import can
from simpatik.core.errors import ValidationError
from simpatik.core.views import domain_errors
from simpatik.monev import services
from simpatik.monev.models import Evaluation
from simpatik.monev.periods import current_period
from simpatik.monev.questions import ANSWERS, QUESTIONS, evidence


def _evaluation(request, pk):
    services.require_reader(request.user)
    return get_object_or_404(Evaluation.objects.select_related("letter", "sop_version"), pk=pk)


@login_required
@domain_errors
def index(request):
    services.require_reader(request.user)
    return render(
        request,
        "monev/index.html",
        {
            "evaluations": Evaluation.objects.select_related("letter", "evaluator")[:40],
            "period": current_period(),
        },
    )


@login_required
@require_POST
@domain_errors
def start(request):
    try:
        evaluation, _made = services.start_evaluation(
            request.POST.get("periode", ""), actor=request.user, via="web"
        )
    except ValidationError as exc:
        messages.error(request, exc.message)
        return redirect("monev:index")
    return redirect("monev:detail", pk=evaluation.pk)


def _typed(post) -> dict:
    return {
        key: {"jawaban": post.get(f"{key}-jawaban", ""), "catatan": post.get(f"{key}-catatan", "")}
        for key, _text in QUESTIONS
    }


@login_required
@domain_errors
def detail(request, pk):
    evaluation = _evaluation(request, pk)
    answers, errors, status = evaluation.answers, {}, 200
    if request.method == "POST":
        answers = _typed(request.POST)
        try:
            services.save_answers(evaluation, answers, actor=request.user, via="web")
        except ValidationError as exc:
            errors, status = exc.data.get("errors", {}), 400
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Jawaban evaluasi disimpan."))
            return redirect("monev:detail", pk=evaluation.pk)
    figures = services.figures_for(evaluation)
    shown = evidence(figures)
    questions = [
        {
            "key": key,
            "text": text,
            "evidence": shown[key],
            "answer": (answers.get(key) or {}).get("jawaban", ""),
            "note": (answers.get(key) or {}).get("catatan", ""),
            "error": errors.get(key, ""),
        }
        for key, text in QUESTIONS
    ]
    made = {r.recommendation: r for r in evaluation.revisions.select_related("sop_version")}
    context = {
        "evaluation": evaluation,
        "figures": figures,
        "questions": questions,
        "choices": ANSWERS,
        "editable": not evaluation.final and can(request.user, "evaluasi_sop"),
        "may_revise": evaluation.final and can(request.user, "evaluasi_sop"),
        "recommendations": [
            {**r, "revision": made.get(r["key"])} for r in figures["recommendations"]
        ],
        "complete": not services.check_answers(evaluation.answers)[1],
    }
    return render(request, "monev/detail.html", context, status=status)


@login_required
@require_POST
@domain_errors
def finish(request, pk):
    evaluation = _evaluation(request, pk)
    try:
        evaluation = services.finish_evaluation(evaluation, actor=request.user, via="web")
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Laporan monitoring dan evaluasi ditandatangani dengan nomor %(number)s.")
            % {"number": evaluation.letter.number},
        )
    return redirect("monev:detail", pk=evaluation.pk)


@login_required
@require_POST
@domain_errors
def revise(request, pk):
    evaluation = _evaluation(request, pk)
    try:
        revision = services.make_revision(
            evaluation, request.POST.get("rekomendasi", ""), actor=request.user, via="web"
        )
    except ValidationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("Draf revisi SOP versi %(version)d disimpan; berlaku setelah dimuat administrator.")
            % {"version": revision.sop_version.version},
        )
    return redirect("monev:detail", pk=evaluation.pk)
