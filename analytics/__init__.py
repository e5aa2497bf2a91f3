"""Conversation analytics: Rasa's event stream (RabbitMQ) into SQL, and a weekly report.

`sprout analytics consume` stores the events that matter for the clinic's report;
`sprout analytics report` reads them back. Message text is redacted before it is
stored, so the analytics tables hold no contact details.
"""
