from django.urls import path

from casework.views import allocation, assessments, caseload, children, home, plans_cin, worktray

urlpatterns = [
    path("", home.home, name="home"),
    path("keep-alive/", home.keep_alive, name="keep_alive"),
    path("my-work/", worktray.worktray, name="worktray"),
    path("children/", children.child_search_view, name="child_search"),
    path("children/<int:child>/", children.child_record, name="child"),
    path("caseloads/", caseload.caseload_board, name="caseload_board"),
    path("queues/authorisation/", caseload.authorisation_queue, name="authorisation_queue"),
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
    path("assessments/<int:pk>/<slug:step>/", assessments.assessment_step, name="assessment_step"),
]
