"""GET /healthz (an async view) from a thread of its own.

After a browser test, Playwright's sync API leaves its event loop marked as running in the test
worker's thread, and Django refuses to run an async view from a thread with a running loop. A
fresh thread has none; the health checks run in threads of their own in any case."""

import threading


def get_health(client, path: str = "/healthz", **extra):
    answer = {}

    def run():
        try:
            answer["response"] = client.get(path, **extra)
        except BaseException as exc:  # re-raised in the test's own thread
            answer["error"] = exc

    thread = threading.Thread(target=run, name="healthz-test")
    thread.start()
    thread.join()
    if "error" in answer:
        raise answer["error"]
    return answer["response"]
