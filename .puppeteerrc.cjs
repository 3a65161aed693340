// pa11y drives Chrome through Puppeteer. Browsers cannot be downloaded here: never fetch one at
// `npm ci`, and use Debian's Chromium (installed by `make setup-test`) instead.
module.exports = {
  skipDownload: true,
  executablePath: "/usr/bin/chromium",
};
