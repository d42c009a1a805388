# API tokens were DRF authtoken rows, stored in clear text and never expiring. Tokens are now
# django-rest-knox (hashed, expiring): the old table and its secrets are removed, and API
# clients fetch a new token from POST /api/v1/auth/token/.
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_auth_failures_mfa_grace_password_age")]

    operations = [
        migrations.RunSQL("DROP TABLE IF EXISTS authtoken_token", migrations.RunSQL.noop),
    ]
