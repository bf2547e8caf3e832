import factory

from withpeople.accounts.models import User
from withpeople.domain.ladder import Perspective
from withpeople.organisations.models import Membership, Organisation, Role, SecondFactorRule

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    name = factory.Sequence(lambda n: f"Person {n}")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"org-{n}")
    name = factory.Sequence(lambda n: f"Organisation {n}")
    # A new organisation requires a second factor of its admins; tests that are not about
    # signing in use a password alone, and the second factor's tests ask for the rule they test.
    second_factor_required_for = SecondFactorRule.NOBODY


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    role = Role.STAFF
    perspective = Perspective.FRONTLINE_STAFF.value
