"""Reviewers carry the languages they may sign off; granting them is a credential event."""

from django.db import migrations, models

from contentapi import db_guards


class Migration(migrations.Migration):

    dependencies = [
        ('contentapi', '0009_audit_signatures_and_checkpoints'),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='credentialevent',
            name='credential_event_action_valid',
        ),
        migrations.AddField(
            model_name='user',
            name='languages',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AlterField(
            model_name='credentialevent',
            name='action',
            field=models.CharField(choices=[('token_issued', 'Token Issued'), ('tokens_rotated', 'Tokens Rotated'), ('tokens_revoked', 'Tokens Revoked'), ('api_key_issued', 'Api Key Issued'), ('api_key_revoked', 'Api Key Revoked'), ('password_set', 'Password Set'), ('webhook_created', 'Webhook Created'), ('webhook_changed', 'Webhook Changed'), ('webhook_secret_rotated', 'Webhook Secret Rotated'), ('webhook_deleted', 'Webhook Deleted'), ('languages_set', 'Languages Set')], max_length=30),
        ),
        migrations.AddConstraint(
            model_name='credentialevent',
            constraint=models.CheckConstraint(condition=models.Q(('action__in', ['token_issued', 'tokens_rotated', 'tokens_revoked', 'api_key_issued', 'api_key_revoked', 'password_set', 'webhook_created', 'webhook_changed', 'webhook_secret_rotated', 'webhook_deleted', 'languages_set'])), name='credential_event_action_valid'),
        ),
        db_guards.guards_put_back("contentapi_credentialevent"),
    ]
