"""Under load (plugins/regkb_load.py): searches and table pages take turns, decision pages never wait behind them."""

from __future__ import annotations

import asyncio

from datasette.plugins import pm
from tests.web.conftest import app


def test_a_decision_page_is_answered_while_searches_wait_their_turn():
    instance = app()
    plugin = pm.get_plugin("regkb_load.py")

    async def scenario():
        turn = plugin.turn(instance)
        for _ in range(plugin.SEARCHES_AT_ONCE):   # every turn taken, as by a burst of searches
            await turn.acquire()
        search = asyncio.ensure_future(instance.client.get("/regkb/decisions", params={"_search": "罚款"}))
        home = asyncio.ensure_future(instance.client.get("/", params={"q": "贷款"}))
        page = await asyncio.wait_for(instance.client.get("/regkb/decisions/nfra~3A9000009"), 120)
        assert page.status_code == 200 and "9000009" in page.text
        original = await asyncio.wait_for(instance.client.get("/regkb-assets/regkb-table.js"), 120)
        assert original.status_code == 200
        # still waiting for a turn (on the demo either takes a fraction of a second once it has one)
        done, _ = await asyncio.wait([search, home], timeout=3)
        assert not done
        for _ in range(plugin.SEARCHES_AT_ONCE):
            turn.release()
        answers = await asyncio.wait_for(asyncio.gather(search, home), 120)
        assert [answer.status_code for answer in answers] == [200, 200]
        assert "罚款" in answers[0].text and "贷款" in answers[1].text

    asyncio.run(scenario())


def test_what_takes_a_turn():
    searches = pm.get_plugin("regkb_load.py").searches
    takes = {path: searches({"path": path.split("?")[0], "query_string": path.partition("?")[2].encode()})
             for path in ["/?q=贷款", "/", "/regkb/decisions", "/regkb/decisions.json?_search=罚", "/regkb/precedents?law=x",
                          "/regkb", "/regkb/decisions/nfra~3A9000009", "/-/article/保险法/46", "/-/original/ab12",
                          "/regkb-assets/regkb-table.js", "/regkb/decisions.csv?_stream=1&_size=max"]}
    assert takes == {"/?q=贷款": True, "/": False, "/regkb/decisions": True, "/regkb/decisions.json?_search=罚": True,
                     "/regkb/precedents?law=x": True, "/regkb": True, "/regkb/decisions/nfra~3A9000009": False,
                     "/-/article/保险法/46": False, "/-/original/ab12": False, "/regkb-assets/regkb-table.js": False,
                     "/regkb/decisions.csv?_stream=1&_size=max": False}


def test_an_export_that_reads_its_rows_through_the_server_does_not_wait_on_its_own_turn():
    # the .xlsx of a table asks the server for the table's JSON (plugins/regkb_xlsx.py) while its request holds the
    # only turn: that inner request is part of the export's work, not a search queued behind it
    instance = app()
    assert pm.get_plugin("regkb_load.py").SEARCHES_AT_ONCE == 1   # tests/web/conftest.py

    async def export():
        return await asyncio.wait_for(
            instance.client.get("/regkb/decisions.xlsx", params={"province": "四川省"}), 120)

    response = asyncio.run(export())
    assert response.status_code == 200, response.text[:500]
    assert response.content[:2] == b"PK"   # a workbook (a zip), not an error page
