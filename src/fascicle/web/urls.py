"""The application's addresses."""

from __future__ import annotations

from django.contrib.auth import views as auth
from django.urls import path

from fascicle.web.api.v1 import api
from fascicle.web.front import grids, manage, published, views

urlpatterns = [
    path("", views.tasks, name="tasks"),
    path("login/", auth.LoginView.as_view(template_name="front/login.html"), name="login"),
    path("logout/", auth.LogoutView.as_view(), name="logout"),
    path("language/", views.set_language, name="language"),
    path("sections/", views.dashboard, name="dashboard"),
    path("sections/<slug:slug>/", views.section, name="section"),
    path("sections/<slug:slug>/edit/", views.edit, name="edit"),
    path("sections/<slug:slug>/move/", views.move, name="move"),
    path("sections/<slug:slug>/comment/", views.comment, name="comment"),
    path("sections/<slug:slug>/comments/", views.thread, name="thread"),
    path("sections/<slug:slug>/comments/<int:pk>/resolve/", views.resolve, name="resolve"),
    path("sections/<slug:slug>/figures/", views.figures, name="figures"),
    path("sections/<slug:slug>/figure/", views.figure, name="figure"),
    path("sections/<slug:slug>/text/", views.text, name="text"),
    path("sections/<slug:slug>/cell/", views.cell, name="cell"),
    path("sections/<slug:slug>/acknowledge/", views.acknowledge, name="acknowledge"),
    path("sections/<slug:slug>/history/", views.history, name="history"),
    path("sections/<slug:slug>/compare/", views.compare, name="compare"),
    path("sections/<slug:slug>/grid/<str:kind>/", grids.grid, name="grid"),
    path("sections/<slug:slug>/translate/<str:lang>/", views.translate, name="translate"),
    path("sections/<slug:slug>/translate/<str:lang>/save/", views.translate_save, name="translate_save"),
    path("sections/<slug:slug>/translate/<str:lang>/confirm/", views.translate_confirm, name="translate_confirm"),
    path("revisions/<int:pk>/<str:lang>.<str:kind>", views.download, name="download"),
    path("sections/<slug:slug>/publish/", published.publish, name="publish"),
    path("published/", published.published, name="published"),
    path("published/<int:pk>/<str:lang>.<str:kind>", published.published_file, name="published_file"),
    path("manage/", manage.units, name="manage"),
    path("manage/memberships/add/", manage.add, name="manage_add"),
    path("manage/memberships/<int:pk>/remove/", manage.remove, name="manage_remove"),
    path("manage/history/", manage.history, name="manage_history"),
    path("api/v1/", api.urls),
    path("revisions/<int:pk>/charts/<str:lang>/<int:index>.svg", views.chart, name="chart"),
]
