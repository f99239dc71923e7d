from django.urls import path

from casework.views import caseload, children, home, worktray

urlpatterns = [
    path("", home.home, name="home"),
    path("my-work/", worktray.worktray, name="worktray"),
    path("children/", children.child_search_view, name="child_search"),
    path("children/<int:pk>/", children.child_record, name="child"),
    path("caseloads/", caseload.caseload_board, name="caseload_board"),
    path("queues/authorisation/", caseload.authorisation_queue, name="authorisation_queue"),
]
