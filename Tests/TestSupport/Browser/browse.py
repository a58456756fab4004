#!/usr/bin/python3
"""Drives Debian's headless Chromium through the DevTools protocol over a pipe (no websocket, no extra package).

Reads a JSON plan on stdin: a list of steps, each one of
  {"open": URL}                     navigate and wait for the load event
  {"eval": JS}                      evaluate (promises awaited); the value is appended to "values"
  {"waitFor": JS, "timeout": MS}    poll until JS is truthy; appends true, or false on timeout
  {"type": TEXT}                    insert text at the focused element, as typing does (appends null)
  {"key": KEY}                      press a key: "/", "ArrowRight", "ArrowLeft", "ArrowDown", "Escape", "Enter"
                                    (appends null)
  {"screenshot": PATH}              write a PNG of the viewport
Prints {"values": [...], "console": [...errors and warnings...], "requests": [...URLs...]}.
"""
import json
import os
import subprocess
import sys
import tempfile
import time

KEYS = {
    "/": ("/", "Slash", 191, "/"),
    "Enter": ("Enter", "Enter", 13, "\r"),
    "Escape": ("Escape", "Escape", 27, ""),
    "ArrowRight": ("ArrowRight", "ArrowRight", 39, ""),
    "ArrowLeft": ("ArrowLeft", "ArrowLeft", 37, ""),
    "ArrowDown": ("ArrowDown", "ArrowDown", 40, ""),
    "ArrowUp": ("ArrowUp", "ArrowUp", 38, ""),
}


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="mjarchive-chromium-")
        to_chromium_read, to_chromium_write = os.pipe()
        from_chromium_read, from_chromium_write = os.pipe()
        high_in = os.dup(to_chromium_read)
        high_out = os.dup(from_chromium_write)

        def wire():
            os.dup2(high_in, 3)
            os.dup2(high_out, 4)

        binary = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
             "--user-data-dir=" + self.profile, "--no-first-run", "--no-default-browser-check",
             "--disable-extensions", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--hide-scrollbars", "--enable-precise-memory-info", "--window-size=1280,900", "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            preexec_fn=wire, close_fds=False)
        for descriptor in (to_chromium_read, from_chromium_write, high_in, high_out):
            os.close(descriptor)
        self.writer = os.fdopen(to_chromium_write, "wb", buffering=0)
        self.reader = os.fdopen(from_chromium_read, "rb", buffering=0)
        self.buffer = b""
        self.next_id = 0
        self.session = None
        self.events = []
        self.console = []
        self.requests = []

    def send(self, method, params=None, session=True):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params or {}}
        if session and self.session:
            message["sessionId"] = self.session
        self.writer.write(json.dumps(message).encode() + b"\0")
        while True:
            reply = self.read()
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise RuntimeError(method + ": " + json.dumps(reply["error"]))
                return reply.get("result", {})
            self.note(reply)

    def read(self):
        while b"\0" not in self.buffer:
            chunk = self.reader.read(1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the pipe")
            self.buffer += chunk
        message, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(message)

    def note(self, event):
        method = event.get("method", "")
        params = event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "warning", "assert"):
            text = " ".join(str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", []))
            self.console.append(params["type"] + ": " + text)
        elif method == "Runtime.exceptionThrown":
            details = params.get("exceptionDetails", {})
            self.console.append("exception: " + details.get("exception", {}).get("description", details.get("text", "")))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") in ("error", "warning"):
            entry = params["entry"]
            self.console.append(entry["level"] + ": " + entry.get("text", "") + " " + entry.get("url", ""))
        elif method == "Page.javascriptDialogOpening":
            # A dialog would mean markup from a prompt ran; note it and dismiss it so the page goes on.
            self.console.append("dialog: " + params.get("message", ""))
            self.next_id += 1
            self.writer.write(json.dumps({"id": self.next_id, "method": "Page.handleJavaScriptDialog",
                                          "params": {"accept": True}, "sessionId": self.session}).encode() + b"\0")
        elif method == "Network.requestWillBeSent":
            self.requests.append(params.get("request", {}).get("url", ""))
        self.events.append(method)

    def wait_event(self, name, timeout=20):
        deadline = time.time() + timeout
        while time.time() < deadline:
            event = self.read()
            self.note(event)
            if event.get("method") == name:
                return True
        return False

    def start(self):
        target = self.send("Target.createTarget", {"url": "about:blank"}, session=False)["targetId"]
        self.session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True},
                                 session=False)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(domain + ".enable")

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True})
        if "exceptionDetails" in result:
            self.console.append("exception: " + result["exceptionDetails"].get("text", ""))
            return None
        return result.get("result", {}).get("value")

    def key(self, name):
        key, code, number, text = KEYS[name]
        base = {"key": key, "code": code, "windowsVirtualKeyCode": number, "nativeVirtualKeyCode": number}
        self.send("Input.dispatchKeyEvent", dict(base, type="keyDown" if text else "rawKeyDown", text=text))
        self.send("Input.dispatchKeyEvent", dict(base, type="keyUp"))

    def close(self):
        try:
            self.send("Browser.close", session=False)
        except Exception:
            pass
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        subprocess.run(["rm", "-rf", self.profile])


def main():
    plan = json.load(sys.stdin)
    browser = Browser()
    values = []
    try:
        browser.start()
        for step in plan:
            if "open" in step:
                browser.send("Page.navigate", {"url": step["open"]})
                values.append(browser.wait_event("Page.loadEventFired"))
            elif "eval" in step:
                values.append(browser.evaluate(step["eval"]))
            elif "waitFor" in step:
                deadline = time.time() + step.get("timeout", 10000) / 1000
                found = False
                while time.time() < deadline and not found:
                    found = bool(browser.evaluate(step["waitFor"]))
                    if not found:
                        time.sleep(0.05)
                values.append(found)
            elif "type" in step:
                browser.send("Input.insertText", {"text": step["type"]})
                values.append(None)
            elif "key" in step:
                browser.key(step["key"])
                values.append(None)
            elif "screenshot" in step:
                data = browser.send("Page.captureScreenshot", {"format": "png"})["data"]
                import base64
                with open(step["screenshot"], "wb") as file:
                    file.write(base64.b64decode(data))
                values.append(step["screenshot"])
        # Let late console messages arrive.
        browser.evaluate("new Promise(done => setTimeout(done, 100))")
    finally:
        browser.close()
    json.dump({"values": values, "console": browser.console, "requests": browser.requests}, sys.stdout)


if __name__ == "__main__":
    main()
