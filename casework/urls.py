from django.urls import path

from casework.views import assessments, caseload, children, home, worktray

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
    path("assessments/<int:pk>/<slug:step>/", assessments.assessment_step, name="assessment_step"),
]
