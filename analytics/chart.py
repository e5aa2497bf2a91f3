"""A PNG of conversations and bookings per day, for the clinic's weekly email."""

from __future__ import annotations

from pathlib import Path

from analytics.report import Report

CONVERSATION_COLOUR = "#2e6b4f"
BOOKING_COLOUR = "#e0a526"


def save_chart(report: Report, path: Path) -> Path:
    """Draw side-by-side daily bars and write them to path (PNG)."""
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    days = report.period.days()
    conversations = [report.conversations_per_day[d] for d in days]
    bookings = [report.bookings_per_day[d] for d in days]
    positions = range(len(days))
    width = 0.4

    figure, axes = plt.subplots(figsize=(max(6.0, 0.9 * len(days) + 2), 3.6), dpi=100)
    try:
        axes.bar(
            [p - width / 2 for p in positions],
            conversations,
            width,
            label="Conversations",
            color=CONVERSATION_COLOUR,
        )
        axes.bar(
            [p + width / 2 for p in positions],
            bookings,
            width,
            label="Bookings",
            color=BOOKING_COLOUR,
        )
        axes.set_xticks(list(positions))
        axes.set_xticklabels([f"{d:%a}\n{d:%d %b}" for d in days], fontsize=8)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(bottom=0, top=max([1, *conversations, *bookings]) * 1.15)
        axes.set_title(
            f"Sprout: conversations and bookings per day ({report.period.label()})", fontsize=9
        )
        # Beside the plot, so it never hides a bar.
        axes.legend(loc="upper left", bbox_to_anchor=(1.0, 1.0), fontsize=8, frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        path.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(path, format="png")
    finally:
        plt.close(figure)
    return path
