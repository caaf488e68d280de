"""The action IDs of a preview's Apply and Cancel buttons and of a bulk result's follow-ups: what
the Bolt app listens for."""

from bot.render.outcome_views import PreviewActions

APPLY_ACTION = "apply_change"
CANCEL_ACTION = "cancel_change"
FOLLOW_UP_ACTION = "follow_up_change"
PREVIEW_ACTIONS = PreviewActions(apply=APPLY_ACTION, cancel=CANCEL_ACTION, follow_up=FOLLOW_UP_ACTION)
