// statusgen: progressive enhancement only. Everything is readable without it.
// It writes each time in the reader's own time zone (UTC beside it), "updated N minutes ago", and a
// warning when the page is older than the site allows (the build may have stopped),
// and "Update overdue" when an incident's promised update time has passed.
(function () {
  "use strict";
  var lang = document.documentElement.lang || "en";
  var body = document.body;
  var generated = new Date(body.getAttribute("data-generated"));
  var staleAfter = parseInt(body.getAttribute("data-stale-after"), 10);
  var now = new Date();

  // Each time is written in UTC by the build; the reader also gets it in their own zone,
  // first, with the zone's name, and UTC beside it: "Nov 30, 2026, 10:40 CET (09:40 UTC)".
  // 24-hour in every language, as the build writes UTC times (see docs/site.md).
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var pattern = body.getAttribute("data-time-format") || "{date}, {time} {zone}";
  var dateIn = function (timeZone) {
    return new Intl.DateTimeFormat(lang, { timeZone: timeZone, year: "numeric", month: "short", day: "numeric" });
  };
  var timeIn = function (timeZone) {
    return new Intl.DateTimeFormat(lang, { timeZone: timeZone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" });
  };
  var localDate = dateIn(zone), localTime = timeIn(zone);
  var utcDate = dateIn("UTC"), utcTime = timeIn("UTC");
  // The zone's short name. Intl knows an abbreviation only in the locales that use it
  // (Europe/Paris is "CET" in en-GB but "GMT+1" in en-US and "UTC+1" in fr): try the
  // page's language, the reader's own, then the English locales that have names for
  // most zones; a zone none of them names is told by its offset, "UTC+5:30".
  var base = lang.split("-")[0];
  var locales = [lang].concat(
    Array.prototype.filter.call(navigator.languages || [], function (l) { return l.split("-")[0] === base; }),
    ["en-US", "en-GB", "en-IN", "en-AU", "en-ZA", "en-SG", "en-IE"]
  );
  var namers = [];  // made when first needed: a formatter costs a few milliseconds
  var names = {};  // by UTC offset: a zone has one name in winter, another in summer
  var zoneName = function (moment) {
    var offset = moment.getTimezoneOffset();
    if (names[offset]) return names[offset];
    var first;
    for (var i = 0; i < locales.length; i++) {
      namers[i] = namers[i] || new Intl.DateTimeFormat(locales[i], { timeZone: zone, timeZoneName: "short" });
      var name = namers[i].formatToParts(moment).filter(function (p) { return p.type === "timeZoneName"; })[0].value;
      // An abbreviation, "CET", "EST", "GMT", "AEDT", not an offset such as "GMT+1".
      if (/^[A-Z]{2,5}$/.test(name)) return (names[offset] = name);
      first = first || name;
    }
    return (names[offset] = first.replace(/^GMT/, "UTC"));
  };
  var fill = function (date, time, zoneLabel) {
    return pattern.replace("{date}", date).replace("{time}", time).replace("{zone}", zoneLabel);
  };
  if (zone !== "UTC" && zone !== "Etc/UTC") {
    document.querySelectorAll("time[data-local]").forEach(function (element) {
      var moment = new Date(element.getAttribute("datetime"));
      if (isNaN(moment)) return;
      var utc = element.textContent;
      element.textContent = fill(localDate.format(moment), localTime.format(moment), zoneName(moment));
      var span = document.createElement("span");
      span.className = "sg-utc";
      // The UTC day is repeated only when it is not the local one.
      span.textContent = " (" + (utcDate.format(moment) === localDate.format(moment)
        ? utcTime.format(moment) + " UTC" : utc) + ")";
      element.after(span);
    });
    // A window that ends on the day it starts: "Nov 30, 2026, 11:00 CET → 17:00 CET".
    document.querySelectorAll(".sg-window").forEach(function (span) {
      var ends = span.querySelectorAll("time[data-local]");
      var start = new Date(ends[0].getAttribute("datetime"));
      var end = new Date(ends[1].getAttribute("datetime"));
      if (isNaN(start) || isNaN(end) || localDate.format(start) !== localDate.format(end)) return;
      ends[1].textContent = localTime.format(end) + " " + zoneName(end);
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
