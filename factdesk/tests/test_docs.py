from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_readme_says_how_to_change_the_port_the_install_size_and_the_browser_tests():
    readme = (ROOT / "README.md").read_text()
    assert "make run PORT=" in readme
    assert "about 2 GB" in readme
    assert "skipped" in readme and "/usr/bin/chromium" in readme


def test_ci_installs_no_chromedriver():
    script = (ROOT / ".ci" / "run").read_text()
    assert "chromium-driver" not in script and "chromedriver" not in script
    assert "chromium" in script
