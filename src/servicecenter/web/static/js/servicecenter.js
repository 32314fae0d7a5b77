// Small behaviours of the pages, kept out of the HTML so that the Content-Security-Policy can
// forbid inline scripts. Every page works without this file.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-print]");
  if (button) {
    event.preventDefault();
    window.print();
  }
});
