// statusgen: progressive enhancement only. Everything is readable without it.
// It adds each time in the reader's own time zone, "updated N minutes ago", and a
// warning when the page is older than the site allows (the build may have stopped),
// and "Update overdue" when an incident's promised update time has passed.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var body = document.body;
  var generated = new Date(body.getAttribute("data-generated"));
  var staleAfter = parseInt(body.getAttribute("data-stale-after"), 10);
  var now = new Date();

  // timeZoneName cannot be combined with dateStyle/timeStyle: spell the fields out.
  var local = new Intl.DateTimeFormat(lang, {
    year: "numeric", month: "short", day: "numeric",
    hour: "2-digit", minute: "2-digit", timeZoneName: "short"
  });
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (zone !== "UTC" && zone !== "Etc/UTC") {
    document.querySelectorAll("time[data-local]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment)) return;
      var span = document.createElement("span");
      span.className = "sg-local";
      span.textContent = " (" + local.format(moment) + ")";
      element.after(span);
    });
  }

  if ("RelativeTimeFormat" in Intl) {
    var relative = new Intl.RelativeTimeFormat(lang, { numeric: "auto" });
    var minutes = Math.round((generated - now) / 60000);
    var phrase = Math.abs(minutes) < 90
      ? relative.format(minutes, "minute")
      : Math.abs(minutes) < 2880
        ? relative.format(Math.round(minutes / 60), "hour")
        : relative.format(Math.round(minutes / 1440), "day");
    document.querySelectorAll("time[data-relative]").forEach(function (element) {
      element.title = element.textContent;
      element.textContent = phrase;
    });
  }

  // The next update was promised by a time that has passed since the build.
  document.querySelectorAll(".sg-promise[data-due]").forEach(function (element) {
    var due = new Date(element.getAttribute("data-due"));
    if (isNaN(due) || now <= due) return;
    element.querySelector(".sg-promise__next").hidden = true;
    element.querySelector(".sg-promise__overdue").hidden = false;
  });

  if (staleAfter > 0 && now - generated > staleAfter * 60000) {
    var banner = document.getElementById("sg-stale");
    if (banner) banner.hidden = false;
  }
})();
