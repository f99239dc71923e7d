from django.urls import path

from casework.views import (
    allocation,
    assessments,
    authorisation,
    caseload,
    children,
    home,
    notes,
    plans_cin,
    protection,
    visits,
    worktray,
)

urlpatterns = [
    path("", home.home, name="home"),
    path("keep-alive/", home.keep_alive, name="keep_alive"),
    path("my-work/", worktray.worktray, name="worktray"),
    path("children/", children.child_search_view, name="child_search"),
    path("children/<int:child>/", children.child_record, name="child"),
    path("children/<int:child>/case-note/", notes.case_note_new, name="case_note_new"),
    path("caseloads/", caseload.caseload_board, name="caseload_board"),
    path("queues/authorisation/", caseload.authorisation_queue, name="authorisation_queue"),
    # Recording on an episode: each starts a new record.
    path(
        "referrals/<int:referral_pk>/assessment/start/",
        assessments.assessment_start,
        name="assessment_start",
    ),
    path("referrals/<int:pk>/allocate/", allocation.allocate, name="allocate"),
    path(
        "referrals/<int:referral_pk>/cin-plan/start/", plans_cin.plan_start, name="cin_plan_start"
    ),
    path("referrals/<int:referral_pk>/cin-plan/end/", plans_cin.plan_end, name="cin_plan_end"),
    path(
        "referrals/<int:referral_pk>/strategy-discussion/",
        protection.strategy_discussion_new,
        name="strategy_discussion_new",
    ),
    path("referrals/<int:referral_pk>/visit/", visits.visit_new, name="visit_new"),
    # A manager's decision on the page that shows what is signed (before the steps below).
    path(
        "assessments/<int:pk>/decision/",
        authorisation.assessment_decision,
        name="assessment_decision",
    ),
    path("s47s/<int:pk>/decision/", authorisation.s47_decision, name="s47_decision"),
    # Steps on an existing record: /<record>/<pk>/<step>/.
    path("assessments/<int:pk>/<slug:step>/", assessments.assessment_step, name="assessment_step"),
    path("s47s/<int:pk>/<slug:step>/", protection.s47_step, name="s47_step"),
    path("conferences/<int:pk>/<slug:step>/", protection.conference_step, name="conference_step"),
    path(
        "plans/<int:pk>/visit-standard/",
        protection.plan_visit_standard,
        name="plan_visit_standard",
    ),
    path("plans/<int:pk>/<slug:step>/", protection.plan_step, name="plan_step"),
]
