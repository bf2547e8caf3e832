from withpeople.groups.tests.access_cases import _group, _work
from withpeople.testing.access import MEMBERS, Case, org

CASES = {
    "values:relationships": Case(MEMBERS, kwargs=org),
    "values:group-relationships": Case(MEMBERS, kwargs=_group),
    "values:values": Case(MEMBERS, kwargs=org),
    "values:work-values": Case(MEMBERS, kwargs=_work),
}
