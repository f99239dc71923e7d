from django.urls import path

from workforce.views import audits, establishment, supervision

app_name = "workforce"

urlpatterns = [
    path("", establishment.overview, name="overview"),
    path("teams/<int:team_pk>/", establishment.team_page, name="team"),
    path("teams/<int:team_pk>/posts/new/", establishment.post_new, name="post_new"),
    path("posts/<int:post_pk>/starter/", establishment.starter_new, name="starter_new"),
    path("contracts/<int:contract_pk>/leaver/", establishment.leaver_new, name="leaver_new"),
    path("contracts/<int:contract_pk>/absence/", establishment.absence_new, name="absence_new"),
    path("supervision/", supervision.queue, name="supervision"),
    path("my-supervision/", supervision.my_supervision, name="my_supervision"),
    path(
        "workers/<int:worker_pk>/supervision/",
        supervision.worker_supervision_new,
        name="worker_supervision_new",
    ),
    path(
        "children/<int:child>/supervision/",
        supervision.case_supervision_new,
        name="case_supervision_new",
    ),
    path("children/<int:child>/audit/", audits.audit_new, name="audit_new"),
    path("audits/", audits.audit_list, name="audits"),
    path("audits/sample/", audits.sample_draw, name="sample_draw"),
    # An audit's pages name its child, so ChildAccessMiddleware guards and audits them.
    path("children/<int:child>/audits/<int:pk>/", audits.audit_complete, name="audit_complete"),
    path(
        "children/<int:child>/audits/<int:pk>/moderate/",
        audits.audit_moderate,
        name="audit_moderate",
    ),
    path("children/<int:child>/audits/<int:pk>/actions/new/", audits.action_new, name="action_new"),
    path(
        "children/<int:child>/audits/<int:pk>/actions/<int:action_pk>/done/",
        audits.action_done,
        name="action_done",
    ),
    path("posts/<int:post_pk>/close/", establishment.post_close, name="post_close"),
]
