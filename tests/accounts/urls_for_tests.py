"""Views built the ways other branches will build child pages, for the audit helpers' tests."""

from django.http import HttpResponse
from django.urls import include, path
from rest_framework import generics, serializers

from accounts.audit import AuditedChildMixin, audited_child_view
from casework.models import Child
from referrals.models import Referral


class ChildSerializer(serializers.ModelSerializer):
    class Meta:
        model = Child
        fields = ["id", "first_name", "last_name"]


class ChildDetail(AuditedChildMixin, generics.RetrieveAPIView):
    child_field = "pk"
    queryset = Child.objects.all()
    serializer_class = ChildSerializer


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = ["id", "referred_on"]


class ReferralDetail(AuditedChildMixin, generics.RetrieveAPIView):
    queryset = Referral.objects.all()
    serializer_class = ReferralSerializer


@audited_child_view(kwarg="pk")
def child_summary(request, pk):
    return HttpResponse("summary")


urlpatterns = [
    path("api/children/<int:pk>/", ChildDetail.as_view()),
    path("api/children-by-kwarg/<int:child>/", ChildDetail.as_view(lookup_url_kwarg="child")),
    path("api/referrals/<int:pk>/", ReferralDetail.as_view()),
    path("summary/<int:pk>/", child_summary),
    # The site's own pages after these: the app's 404 page links home and to the nav.
    path("", include("config.urls")),
]
