from django.urls import path

from referrals import views

urlpatterns = [
    path("front-door/", views.front_door, name="front_door"),
    path("unallocated/", views.unallocated, name="unallocated"),
]
