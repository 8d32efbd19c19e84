"""The web page (web/) driven in headless Chromium against real nodes.

Starts upload-node and download-node (embedded defaults: local objects, SQLite) on free 127.0.0.1
ports with an HS256 secret, a small maxUploadBytes and corsAllowedOrigins set to the page's origin,
serves web/ with `python3 -m http.server` on another free port, and drives Debian's chromium through
chromium-driver with Selenium: paste a token, upload two files through the file input, see both
done and listed, download one through its signed link and compare its bytes, see the service's
413 text for a file above the limit dropped on the drop zone, delete one file and see it gone (from
the page and from the node), save a screenshot to docs/web-page.png, finish an upload begun elsewhere whose URL the page
kept (tus resume), finish an upload whose node was killed mid-PATCH and restarted (retry), page
through eleven files 10 at a time, and see the service's 403 text for a token with a wrong
signature. Every wait is bounded; every process started here is stopped by its PID.

Run it with scripts/browser-test (which builds the nodes and decides skip or fail when chromium is
missing); directly: python3 Tests/Browser/test_web_page.py --bin-dir .build/debug
"""

import argparse
import base64
import hashlib
import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service as ChromeService
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import Select, WebDriverWait

ROOT = Path(__file__).resolve().parents[2]
USER = "web-user"
MAX_UPLOAD_BYTES = 8 * 1024 * 1024
BIN_DIR = Path(os.environ.get("UDS_BIN_DIR", ROOT / ".build" / "debug"))
CHROMIUM = os.environ.get("UDS_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("UDS_CHROMEDRIVER", "/usr/bin/chromedriver")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(url, process, log_path, timeout=60):
    """Polls `url` until it answers 200; fails with the log when the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"{url}: process exited ({process.returncode}):\n{log_path.read_text()}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)  # polling interval of a bounded readiness wait, not a synchronisation sleep
    raise AssertionError(f"{url} not ready within {timeout} s:\n{log_path.read_text()}")


class WebPageTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.work = Path(tempfile.mkdtemp(prefix="uds-web-"))
        cls.addClassCleanup(shutil.rmtree, cls.work, ignore_errors=True)
        cls.processes = []
        cls.processes_by_name = {}
        cls.commands = {}
        cls.addClassCleanup(cls.stop_processes)
        data = cls.work / "data"
        data.mkdir()
        secret = secrets.token_hex(32)
        web_port, upload_port, download_port = free_port(), free_port(), free_port()
        cls.origin = f"http://127.0.0.1:{web_port}"
        cls.upload_base = f"http://127.0.0.1:{upload_port}"
        cls.download_base = f"http://127.0.0.1:{download_port}"
        common = ["--host", "127.0.0.1", "--data-dir", str(data), "--auth-hs256-secret", secret,
                  "--cors-allowed-origins", cls.origin]
        cls.token = subprocess.run(
            [str(BIN_DIR / "upload-node"), "dev-token", "--user", USER, *common],
            check=True, capture_output=True, text=True, timeout=60).stdout.strip().splitlines()[-1]
        cls.start("upload-node", [str(BIN_DIR / "upload-node"), *common, "--port", str(upload_port),
                                  "--max-upload-bytes", str(MAX_UPLOAD_BYTES), "--spool-min-free-bytes", "0"],
                  f"{cls.upload_base}/readyz")
        cls.start("download-node", [str(BIN_DIR / "download-node"), *common, "--port", str(download_port)],
                  f"{cls.download_base}/readyz")
        cls.start("http.server", [sys.executable, "-m", "http.server", str(web_port), "--bind", "127.0.0.1",
                                  "--directory", str(ROOT / "web")], f"{cls.origin}/index.html")
        cls.downloads = cls.work / "downloads"
        cls.downloads.mkdir()
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1100,1300",
                         "--lang=en-US"):
            options.add_argument(argument)
        options.add_experimental_option("prefs", {
            "download.default_directory": str(cls.downloads),
            "download.prompt_for_download": False,
            "safebrowsing.enabled": False,
        })
        cls.driver = webdriver.Chrome(options=options, service=ChromeService(executable_path=CHROMEDRIVER,
                                                                            log_output=str(cls.work / "driver.log")))
        cls.addClassCleanup(cls.driver.quit)  # stops chromedriver (its PID) and the browser
        cls.driver.execute_cdp_cmd("Page.setDownloadBehavior",
                                   {"behavior": "allow", "downloadPath": str(cls.downloads)})

    @classmethod
    def start(cls, name, command, ready_url):
        log_path = cls.work / f"{name}.log"
        log = open(log_path, "ab")
        cls.addClassCleanup(log.close)
        env = dict(os.environ, UDS_LOG_LEVEL="warning")
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
        cls.processes.append(process)
        cls.processes_by_name[name] = process
        cls.commands[name] = command
        wait_ready(ready_url, process, log_path)

    @classmethod
    def stop_processes(cls):
        for process in cls.processes:
            if process.poll() is None:
                process.terminate()
        for process in cls.processes:
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)

    # -- helpers ---------------------------------------------------------------------------------

    def wait(self, condition, timeout=60, message=""):
        return WebDriverWait(self.driver, timeout, poll_frequency=0.1).until(condition, message)

    def upload_row(self, name):
        return self.driver.find_element(By.CSS_SELECTOR, f'#uploads li[data-name="{name}"]')

    def wait_upload_finished(self, name):
        """Waits until the file's row is done or failed; returns (state, status text, status code)."""
        def finished(driver):
            rows = driver.find_elements(By.CSS_SELECTOR, f'#uploads li[data-name="{name}"]')
            return rows and rows[0].get_attribute("data-state") in ("done", "error")
        self.wait(finished, message=f"upload of {name} did not finish")
        row = self.upload_row(name)
        return row.get_attribute("data-state"), row.find_element(By.CLASS_NAME, "status").text

    def listed_names(self):
        """The listed names, read in one script (the page may re-render the list meanwhile)."""
        return self.driver.execute_script(
            "return [...document.querySelectorAll('#files tbody tr')].map((row) => row.dataset.name)")

    def page_loaded(self):
        return self.driver.find_element(By.CSS_SELECTOR, "#files tbody").get_attribute("data-loaded") == "true"

    def wait_listed(self, names):
        def listed(driver):
            return self.page_loaded() and sorted(self.listed_names()) == sorted(names)
        self.wait(listed, message=f"the list did not become {names}: {self.listed_names()}")

    def node_request(self, method, url):
        request = urllib.request.Request(url, method=method, headers={"Authorization": f"Bearer {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def tus_request(self, method, url, headers=None, body=None):
        """One tus request with the token; returns (status, headers)."""
        request = urllib.request.Request(url, method=method, data=body, headers={
            "Authorization": f"Bearer {self.token}", "Tus-Resumable": "1.0.0", **(headers or {})})
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers
        except urllib.error.HTTPError as error:
            return error.code, error.headers

    def begin_tus_upload(self, path, first_bytes):
        """Creates a tus upload of `path` and sends its first bytes; returns (absolute URL, offset)."""
        data = path.read_bytes()
        metadata = ",".join(f"{key} {base64.b64encode(value.encode()).decode()}" for key, value in
                            (("filename", path.name), ("md5", hashlib.md5(data).hexdigest())))
        status, headers = self.tus_request("POST", f"{self.upload_base}/upload_download_service/uploads",
                                           {"Upload-Length": str(len(data)), "Upload-Metadata": metadata})
        self.assertEqual(status, 201)
        url = urllib.parse.urljoin(self.upload_base, headers["Location"])
        status, headers = self.tus_request("PATCH", url, {
            "Upload-Offset": "0", "Content-Type": "application/offset+octet-stream"}, data[:first_bytes])
        self.assertEqual(status, 204)
        return url, int(headers["Upload-Offset"])

    # -- the test --------------------------------------------------------------------------------

    def test_upload_list_download_413_delete(self):
        driver = self.driver
        query = urllib.parse.urlencode({"upload": self.upload_base, "download": self.download_base})
        driver.get(f"{self.origin}/index.html?{query}")

        # The token is pasted; the user id comes from its `sub` claim.
        driver.find_element(By.ID, "token").send_keys(self.token)
        driver.find_element(By.ID, "refresh").click()  # moves the focus: the token's change event
        self.wait(lambda d: d.find_element(By.ID, "user-id").get_attribute("value") == USER,
                  message="the user id was not read from the token")
        self.wait(lambda d: d.find_element(By.ID, "files-status").text == "No files yet.",
                  message="the empty list was not shown")

        big = self.work / "photo 1.bin"
        big.write_bytes(os.urandom(6 * 1024 * 1024 + 123))  # two PATCHes of the 5 MiB chunk size
        small = self.work / "notes é.txt"
        small.write_bytes(("hello from the browser test\n" * 120).encode())
        driver.find_element(By.ID, "file-input").send_keys(f"{big}\n{small}")
        for path in (big, small):
            state, text = self.wait_upload_finished(path.name)
            self.assertEqual(state, "done", f"{path.name}: {text}")
        self.wait_listed([big.name, small.name])
        row = driver.find_element(By.CSS_SELECTOR, f'#files tr[data-name="{big.name}"]')
        self.assertEqual(row.find_element(By.CSS_SELECTOR, "td.number").get_attribute("title"),
                         f"{big.stat().st_size} bytes")

        # Download the large file and compare bytes with the original.
        row.find_element(By.CSS_SELECTOR, "button.download").click()
        downloaded = self.downloads / big.name
        self.wait(lambda d: downloaded.exists() and downloaded.stat().st_size == big.stat().st_size
                  and not any(p.suffix == ".crdownload" for p in self.downloads.iterdir()),
                  message=f"{downloaded} not complete: {list(self.downloads.iterdir())}")
        self.assertEqual(downloaded.read_bytes(), big.read_bytes())
        # Through the signed link (a navigation without the token), not the bearer fallback.
        self.assertEqual(driver.find_element(By.TAG_NAME, "body").get_attribute("data-last-download"), "signed-link")

        # A file above maxUploadBytes, dropped on the drop zone (a drop event carrying a File made in
        # the page: WebDriver cannot drag files from the desktop): the node's 413, as the service words it.
        too_large = Path("too large.bin")
        driver.execute_script("""
            const transfer = new DataTransfer();
            transfer.items.add(new File([new Uint8Array(arguments[1])], arguments[0]));
            document.getElementById('drop-zone').dispatchEvent(
                new DragEvent('drop', {dataTransfer: transfer, bubbles: true, cancelable: true}));
        """, too_large.name, MAX_UPLOAD_BYTES + 1)
        state, _ = self.wait_upload_finished(too_large.name)
        self.assertEqual(state, "error")
        status = self.upload_row(too_large.name).find_element(By.CLASS_NAME, "status")
        self.assertEqual(status.find_element(By.CLASS_NAME, "text").text, "Document file size is too large")
        self.assertEqual(status.find_element(By.CLASS_NAME, "code").text, "413 PAYLOAD_TOO_LARGE")

        # Delete the small file (confirmed in the dialog): gone from the page and from the node.
        driver.find_element(By.CSS_SELECTOR, f'#files tr[data-name="{small.name}"] button.delete').click()
        self.wait(expected_conditions.alert_is_present(), timeout=10).accept()
        self.wait(lambda d: d.find_element(By.ID, "message").text == f"Deleted {small.name}.",
                  message="no delete confirmation shown")
        self.wait_listed([big.name])
        status_code, body = self.node_request(
            "GET", f"{self.download_base}/upload_download_service/{urllib.parse.quote(small.name)}/{USER}")
        self.assertEqual((status_code, json.loads(body)["code"]), (404, "FILE_NOT_FOUND"))

        screenshot = Path(os.environ.get("UDS_WEB_SCREENSHOT", ROOT / "docs" / "web-page.png"))
        self.assertTrue(driver.save_screenshot(str(screenshot)), f"screenshot not written to {screenshot}")
        print(f"screenshot: {screenshot}")

        # Resume: an upload begun elsewhere (5 MiB of 7 sent with tus from here) whose URL the page
        # kept (the localStorage entry its tus client writes); choosing the file again sends only the
        # rest. Had the page started a new upload, the first would still answer HEAD at 5 MiB.
        resumed = self.work / "resumed.bin"
        resumed.write_bytes(os.urandom(7 * 1024 * 1024))
        upload_url, offset = self.begin_tus_upload(resumed, 5 * 1024 * 1024)
        endpoint = f"{self.upload_base}/upload_download_service/uploads"
        md5 = hashlib.md5(resumed.read_bytes()).hexdigest()
        key = f"uds-tus:{endpoint}:{resumed.name}:{resumed.stat().st_size}:{md5}"
        driver.execute_script("localStorage.setItem(arguments[0], arguments[1])", key, upload_url)
        driver.find_element(By.ID, "file-input").send_keys(str(resumed))
        state, text = self.wait_upload_finished(resumed.name)
        self.assertEqual(state, "done", text)
        self.assertEqual(offset, 5 * 1024 * 1024)
        self.assertEqual(self.tus_request("HEAD", upload_url)[0], 404, "the page did not finish the begun upload")
        self.assertIsNone(driver.execute_script("return localStorage.getItem(arguments[0])", key))
        status_code, body = self.node_request(
            "GET", f"{self.download_base}/upload_download_service/{resumed.name}/{USER}")
        self.assertEqual((status_code, body), (200, resumed.read_bytes()))

        # Retry: the upload node is killed (-9) in the middle of a PATCH (uploads throttled to 1 MiB/s
        # so there is a middle); the row says it retries; once the node is back (same port, same
        # data) the page asks HEAD for the offset and finishes the upload.
        interrupted = self.work / "interrupted.bin"
        interrupted.write_bytes(os.urandom(7 * 1024 * 1024))
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": 1024 * 1024})
        driver.find_element(By.ID, "file-input").send_keys(str(interrupted))
        def sending(driver):  # past 20 % of the upload itself (the MD5 pass fills the same bar before)
            rows = driver.find_elements(By.CSS_SELECTOR, f'#uploads li[data-name="{interrupted.name}"]')
            return rows and rows[0].get_attribute("data-state") == "uploading" and float(
                rows[0].find_element(By.TAG_NAME, "progress").get_attribute("value")) > 0.2
        self.wait(sending, message="the throttled upload did not get past 20 %")
        upload_node = self.processes_by_name["upload-node"]
        upload_node.kill()
        upload_node.wait(timeout=10)
        try:
            self.wait(lambda d: self.upload_row(interrupted.name).get_attribute("data-state") == "retrying",
                      timeout=20)
        except TimeoutException:
            row = self.upload_row(interrupted.name)
            self.fail(f"the page did not retry: the row is {row.get_attribute('data-state')}: {row.text}")
        self.start("upload-node", self.commands["upload-node"], f"{self.upload_base}/readyz")
        driver.execute_cdp_cmd("Network.emulateNetworkConditions", {
            "offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1})
        state, text = self.wait_upload_finished(interrupted.name)
        self.assertEqual(state, "done", text)
        status_code, body = self.node_request(
            "GET", f"{self.download_base}/upload_download_service/{interrupted.name}/{USER}")
        self.assertEqual((status_code, body), (200, interrupted.read_bytes()))

        # Paging: eight more files make eleven, so 10 per page gives a full page and a page of one.
        more = []
        for number in range(8):
            path = self.work / f"page-{number:02}.txt"
            path.write_text(f"file {number}\n")
            more.append(path)
        driver.find_element(By.ID, "file-input").send_keys("\n".join(str(p) for p in more))
        for path in more:
            state, text = self.wait_upload_finished(path.name)
            self.assertEqual(state, "done", f"{path.name}: {text}")
        everything = sorted([big.name, resumed.name, interrupted.name] + [p.name for p in more])
        self.wait(lambda d: len(self.listed_names()) == len(everything), message="not all files listed")
        Select(driver.find_element(By.ID, "page-size")).select_by_visible_text("10")
        self.wait(lambda d: self.page_loaded() and len(self.listed_names()) == 10, message="page 1 not of 10")
        first_page = self.listed_names()
        driver.find_element(By.ID, "next-page").click()
        self.wait(lambda d: self.page_loaded() and d.find_element(By.ID, "page-number").text == "page 2"
                  and len(self.listed_names()) == 1, message="page 2 not of 1")
        self.assertEqual(sorted(first_page + self.listed_names()), everything)
        self.assertFalse(driver.find_element(By.ID, "next-page").is_enabled())
        driver.find_element(By.ID, "prev-page").click()
        self.wait(lambda d: self.page_loaded() and self.listed_names() == first_page, message="back to page 1")

        # A token with a wrong signature: the list shows the node's 403 text.
        forged = self.token[:-4] + ("AAAA" if not self.token.endswith("AAAA") else "BBBB")
        token_box = driver.find_element(By.ID, "token")
        token_box.clear()
        token_box.send_keys(forged)
        driver.find_element(By.ID, "refresh").click()
        self.wait(lambda d: d.find_element(By.ID, "message").text == "Listing failed: client credentials invalid",
                  message="the 403 text was not shown")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bin-dir", help="folder with upload-node and download-node")
    arguments, rest = parser.parse_known_args()
    if arguments.bin_dir:
        BIN_DIR = Path(arguments.bin_dir).resolve()
    unittest.main(argv=[sys.argv[0], "-v", *rest])
