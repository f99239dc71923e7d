"""Recording a case note, from the child record or from My work (?from=my-work)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone

from casework.forms.notes import CaseNoteForm
from casework.selectors import children_visible_to
from casework.services.notes import case_note_record
from casework.views.recording import recording_page


@login_required
def case_note_new(request, child: int):
    child = get_object_or_404(children_visible_to(request.user), pk=child)
    back = (
        reverse("worktray")
        if request.GET.get("from") == "my-work"
        else reverse("child", args=[child.pk])
    )

    def call(form):
        data = form.cleaned_data
        return case_note_record(
            child=child,
            by=request.user,
            kind=data["kind"],
            occurred_on=data["occurred_on"],
            text=data["text"],
            child_seen=form.seen("child_seen"),
            seen_alone=form.seen("seen_alone"),
        )

    return recording_page(
        request,
        form_class=CaseNoteForm,
        form_kwargs={"child": child},
        call=call,
        success_url=back,
        success_message="Case note recorded",
        initial={"occurred_on": timezone.localdate()},
        title="Record a case note",
        caption=child.full_name,
        draft_key=f"case-note-{child.pk}",
    )
