"""What a notice says: its title and status, the update's text, the affected components
and the link to the page."""

from __future__ import annotations

from dataclasses import dataclass

from statusgen.content.config import SiteConfig
from statusgen.core.model import Catalog, Maintenance, MaintenanceStatus
from statusgen.core.timestamps import format_timestamp
from statusgen.render.i18n import Language
from statusgen.render.markup import MarkdownRenderer, plain_text
from statusgen.render.urls import incident_path, postmortem_path
from statusgen.workflow.notices import Notice, NoticeKind


@dataclass(frozen=True, slots=True)
class Message:
    """What a notice says: Markdown for chat and SMS, and the same as sanitised HTML for
    e-mail. Neither carries markup from the update (see statusgen.render.markup)."""

    title: str
    body: str
    html: str


class Composer:
    """Writes the message of each notice: title and status, the update's text, the
    affected components, the link to the page."""

    def __init__(self, catalog: Catalog, config: SiteConfig, language: Language) -> None:
        self.catalog, self.config, self.language = catalog, config, language
        self.markdown = MarkdownRenderer()

    def message(self, notice: Notice) -> Message:
        event = notice.state.event
        language = self.language
        if notice.kind is NoticeKind.UPDATE_OVERDUE:
            return self._reminder(notice)
        if notice.kind is NoticeKind.POSTMORTEM_PUBLISHED:
            what = language.gettext("Postmortem")
            link = postmortem_path(event.id)
        else:
            status = notice.update.status if notice.update else _WINDOW_STATUS[notice.kind]
            what = language.label(status)
            link = incident_path(event.id)
        parts = []
        if notice.update is not None and notice.update.body:
            parts.append(plain_text(notice.update.body))
        if isinstance(event, Maintenance):
            window = (
                f"{format_timestamp(event.scheduled_start)} → "
                f"{format_timestamp(event.scheduled_end)}"
            )
            parts.append(f"{language.gettext('Window:')} {window}")
        if notice.update is not None:
            changes = notice.state.changes(notice.state.updates.index(notice.update))
            if changes:
                parts.append("\n".join(f"- {c}" for c in language.changes(self.catalog, changes)))
        names = [self.catalog.component(c).name for c in notice.component_ids]
        if names:
            parts.append(f"{language.gettext('Affected:')} {', '.join(names)}")
        parts.append(self.config.absolute_url(link))
        title = f"{what}: {event.title}"
        if event.is_drill:
            title = f"[{language.gettext('Drill')}] {title}"  # never mistaken for the real thing
        return self._message(title, parts)

    def _reminder(self, notice: Notice) -> Message:
        """For the team: which incident went quiet, since when, and the command to post."""
        state, gettext = notice.state, self.language.gettext
        body = [
            gettext("The latest update was posted at {at}; the next one was due by {due}.").format(
                at=format_timestamp(state.updated_at), due=format_timestamp(notice.at)
            ),
            gettext("Post one, even if nothing has changed:"),
            f"    statusgen update {state.id} --status update --message …",
            self.config.absolute_url(incident_path(state.id)),
        ]
        title = gettext("Update overdue: {title}").format(title=state.event.title)
        return self._message(title, body)

    def _message(self, title: str, paragraphs: list[str]) -> Message:
        body = "\n\n".join(paragraphs)
        return Message(title=title, body=body, html=self.markdown.html(body))


_WINDOW_STATUS = {
    NoticeKind.MAINTENANCE_STARTED: MaintenanceStatus.IN_PROGRESS,
    NoticeKind.MAINTENANCE_COMPLETED: MaintenanceStatus.COMPLETED,
}
