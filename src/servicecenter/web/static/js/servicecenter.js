// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts. Every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
// A background job that made a file: when its progress bar turns into the download link, the
// download starts by itself (once); the link stays for a second try.
function startDownload() {
  var link = document.querySelector("a[data-autodownload]:not([data-started])");
  if (link) {
    link.setAttribute("data-started", "1");
    link.click();
  }
}
document.addEventListener("htmx:afterSwap", startDownload);
document.addEventListener("DOMContentLoaded", startDownload);
