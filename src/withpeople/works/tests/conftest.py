import pytest


@pytest.fixture
def work(organisation):
    from withpeople.works.services import work_create

    return work_create(organisation=organisation, title="Carers' strategy", level="strategic")
