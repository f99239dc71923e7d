from django.urls import path

from referrals import views, views_recording

urlpatterns = [
    path("front-door/", views.front_door, name="front_door"),
    path("unallocated/", views.unallocated, name="unallocated"),
    path("contacts/new/", views_recording.contact_new, name="contact_new"),
    path("contacts/<int:pk>/screen/", views_recording.contact_screen, name="contact_screen"),
    path("referrals/<int:pk>/close/", views_recording.referral_close, name="referral_close"),
]
