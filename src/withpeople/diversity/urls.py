from django.urls import path

from withpeople.diversity import views

app_name = "diversity"

ORG = "o/<slug:org_slug>/"

urlpatterns = [
    path(ORG + "your-data/diversity/consent/", views.diversity_consent, name="diversity-consent"),
    path(ORG + "your-data/diversity/", views.diversity_answers, name="diversity-answers"),
    path(
        ORG + "your-data/diversity/withdraw/", views.diversity_withdraw, name="diversity-withdraw"
    ),
    path(ORG + "diversity/", views.diversity_figures, name="diversity"),
    path(ORG + "diversity/work/<int:pk>/", views.diversity_work, name="diversity-work"),
    path(ORG + "diversity/questions/", views.category_list, name="categories"),
    path(ORG + "diversity/questions/new/", views.category_edit, name="category-create"),
    path(ORG + "diversity/questions/<int:pk>/", views.category_edit, name="category-change"),
    path(
        ORG + "diversity/questions/<int:pk>/delete/",
        views.category_delete,
        name="category-delete",
    ),
    path(
        ORG + "diversity/questions/<int:pk>/answers/new/",
        views.option_create,
        name="option-create",
    ),
    path(ORG + "diversity/answers/<int:pk>/", views.option_change, name="option-change"),
    path(ORG + "diversity/answers/<int:pk>/delete/", views.option_delete, name="option-delete"),
]
