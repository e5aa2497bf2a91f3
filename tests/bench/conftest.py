from tests.channels.sms_fixtures import sms_stack  # noqa: F401
