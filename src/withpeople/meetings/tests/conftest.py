import datetime as dt

import pytest
from django.utils import timezone


@pytest.fixture
def work(organisation, members):
    """A piece of work led by the staff member, with the partner, Jo (no account, an email
    address, easy read) and Dev (no account, no email address) in its group."""
    from withpeople.groups.models import AccessNeeds
    from withpeople.works.services import work_create, work_member_add

    work = work_create(
        organisation=organisation, title="Day centres", level="strategic", leads=[members["staff"]]
    )
    work_member_add(work=work, name="Sam", perspective="commissioner", membership=members["staff"])
    work_member_add(
        work=work, name="Pat", perspective="lived_experience", membership=members["partner"]
    )
    jo = work_member_add(work=work, name="Jo", perspective="carer")
    jo.contact = "jo@example.net"
    jo.save()
    AccessNeeds.objects.create(organisation=organisation, group_member=jo, easy_read=True)
    work_member_add(work=work, name="Dev", perspective="frontline_staff")
    return work


def at(days: float, hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=days)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
