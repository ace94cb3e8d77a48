"""The offline shell's size: the bytes of every file the service worker precaches when it
installs (`/sw.js`'s precache list: the emergency cards of the demo content, the offline
page, the CSS, JS and icons): as stored in the browser's cache, and as sent (gzip-compressed
where that makes it smaller, as WhiteNoise does with the static files in production; PNG
icons go as they are).

Run: .venv/bin/python bench/offline_shell.py        (SQLite, a throwaway database)
Prints one line per file and the total line `offline shell: N files, N bytes …`.
"""

import gzip
import json
import re

from harness import throwaway_database  # importing it sets Django up


def main() -> None:
    from django.contrib.auth import get_user_model
    from django.contrib.staticfiles import finders
    from django.core.management import call_command
    from django.test import Client

    with throwaway_database():
        call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        client = Client()
        client.force_login(get_user_model().objects.get(username="learner"))
        script = client.get("/sw.js").content.decode()
        config = json.loads(re.search(r"const CONFIG = (\{.*?\n\});", script, re.S).group(1))
        sizes = []
        for url in config["precache"]:
            if url.startswith("/static/"):
                with open(finders.find(url.removeprefix("/static/")), "rb") as file:
                    content = file.read()
            else:
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                content = response.content
            sent = min(len(content), len(gzip.compress(content)))
            sizes.append((url, len(content), sent))
            print(f"{url:45} {len(content):>8,} bytes  sent {sent:>7,}")
        raw = sum(size for _url, size, _gz in sizes)
        packed = sum(gz for _url, _size, gz in sizes)
        print(
            f"offline shell: {len(sizes)} files, {raw:,} bytes ({raw / 1024:.1f} KiB), "
            f"sent {packed:,} bytes ({packed / 1024:.1f} KiB)"
        )


if __name__ == "__main__":
    main()
