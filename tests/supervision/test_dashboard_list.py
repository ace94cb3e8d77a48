"""The dashboard's list as the supervisor reads it: a table sorted by the header they click
(which says how it is sorted), and the filters in use as chips that remove themselves."""

from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

pytestmark = pytest.mark.django_db(transaction=True)  # issuing hooks run on commit


def soup(client, url) -> BeautifulSoup:
    """The page at `url`, which may be a link of the dashboard (relative to it)."""
    response = client.get(urljoin("/supervision/", url))
    assert response.status_code == 200
    return BeautifulSoup(response.content.decode(), "html.parser")


def names_in_order(page) -> list[str]:
    return [th.get_text(strip=True) for th in page.select(".dashboard-people tbody th")]


def header(page, label):
    return next(
        th for th in page.select(".dashboard-people thead th") if th.get_text(strip=True) == label
    )


def sort_of(link) -> str:
    return parse_qs(urlsplit(link["href"]).query)["sort"][0]


def test_the_list_is_sorted_by_the_header_clicked_and_the_header_says_how(client, team_supervisor):
    client.force_login(team_supervisor.user)
    page = soup(client, "/supervision/")
    # By site and team at first: that header says "ascending", the others nothing.
    assert header(page, "项目与班组")["aria-sort"] == "ascending"
    assert {header(page, label)["aria-sort"] for label in ("姓名", "工号", "状态", "截止")} == {
        "none"
    }
    assert "aria-sort" not in header(page, "岗位").attrs  # not a column to sort by

    by_name = header(page, "姓名").a
    assert sort_of(by_name) == "name"
    page = soup(client, by_name["href"])
    assert names_in_order(page) == sorted(["林晓雯", "陈思琪", "王建国"])
    assert header(page, "姓名")["aria-sort"] == "ascending"
    assert header(page, "项目与班组")["aria-sort"] == "none"

    again = header(page, "姓名").a  # the same header once more: the other way round
    page = soup(client, again["href"])
    assert names_in_order(page) == sorted(["林晓雯", "陈思琪", "王建国"], reverse=True)
    assert header(page, "姓名")["aria-sort"] == "descending"

    # Due dates, latest first: the one person with a due date first, nobody's date last.
    page = soup(client, "/supervision/?sort=-due")
    assert names_in_order(page)[0] == "陈思琪"
    assert header(page, "截止")["aria-sort"] == "descending"


def test_a_header_keeps_the_filters_and_starts_again_at_page_one(client, team_supervisor):
    client.force_login(team_supervisor.user)
    page = soup(client, f"/supervision/?team={team_supervisor.team.pk}&q=陈&page=1&sort=number")
    link = header(page, "状态").a
    query = parse_qs(urlsplit(link["href"]).query)
    assert query == {"team": [str(team_supervisor.team.pk)], "q": ["陈"], "sort": ["status"]}
    assert names_in_order(soup(client, link["href"])) == ["陈思琪"]


def test_an_order_not_on_the_list_is_ignored(client, team_supervisor):
    client.force_login(team_supervisor.user)
    page = soup(client, "/supervision/?sort=password")
    assert "已忽略无效的筛选条件" in page.get_text()
    assert header(page, "项目与班组")["aria-sort"] == "ascending"


def test_the_filters_in_use_are_chips_whose_links_remove_them(client, team_supervisor):
    client.force_login(team_supervisor.user)
    url = (
        f"/supervision/?program=&team={team_supervisor.team.pk}&position=front_desk&status=not_started"
        "&overdue=on&q=陈&sort=name&page=1"
    )
    page = soup(client, url)
    chips = {
        chip.get_text(" ", strip=True): chip["href"] for chip in page.select(".filter-chips a")
    }
    assert list(chips) == [
        f"班组：{team_supervisor.site.name} · {team_supervisor.team.name} × （去掉）",
        "岗位：前台 × （去掉）",
        "状态：未开始 × （去掉）",
        "只看逾期 × （去掉）",
        "姓名或工号：陈 × （去掉）",
    ]
    removed = {
        chip.split("：")[0].split(" ")[0]: parse_qs(urlsplit(href).query)
        for chip, href in chips.items()
    }
    # Each link drops its own filter (and the page), keeps the rest and the order.
    assert "team" not in removed["班组"] and removed["班组"]["status"] == ["not_started"]
    assert "status" not in removed["状态"] and removed["状态"]["team"] == [
        str(team_supervisor.team.pk)
    ]
    assert "overdue" not in removed["只看逾期"] and removed["只看逾期"]["sort"] == ["name"]
    assert all("page" not in query for query in removed.values())
    assert names_in_order(page) == ["陈思琪"]
    assert names_in_order(soup(client, chips["姓名或工号：陈 × （去掉）"])) == ["陈思琪"]
    # Filters and sorting sit behind one button (a <details>), closed until opened.
    panel = page.select_one("details.filters-panel")
    assert panel.summary.get_text(strip=True) == "筛选与排序" and not panel.has_attr("open")
    assert panel.select_one("#id_team") is not None


def test_no_chips_without_filters(client, team_supervisor):
    client.force_login(team_supervisor.user)
    assert soup(client, "/supervision/?sort=name").select(".filter-chips") == []
