"""The read side's models move here from `articles`, as state only: their tables keep their
names (`db_table`), their rows and their indexes. Nothing in the database changes.

The write side's migrations made these tables (articles 0003 to 0009); from here on this app
owns them. `webhooks` 0003 points its foreign key here, then `articles` 0010 forgets them.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("articles", "0009_change_event_purge_keys"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='PublishedCode',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('system', models.CharField(choices=[('icd10cm', 'ICD-10-CM'), ('snomedct', 'SNOMED CT'), ('loinc', 'LOINC')], max_length=10)),
                        ('code', models.CharField(max_length=40)),
                    ],
                    options={
                        'db_table': 'articles_publishedcode',
                    },
                ),
                migrations.CreateModel(
                    name='PublishedDocument',
                    fields=[
                        ('article', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='document', serialize=False, to='articles.article')),
                        ('slug', models.SlugField(max_length=120)),
                        ('locale', models.CharField(max_length=10)),
                        ('revision_number', models.PositiveIntegerField()),
                        ('title', models.CharField(max_length=200)),
                        ('summary', models.CharField(max_length=1000)),
                        ('search_text', models.TextField()),
                        ('last_updated_at', models.DateTimeField()),
                        ('rendered_at', models.DateTimeField()),
                        ('body', models.BinaryField()),
                        ('list_item', models.BinaryField()),
                        ('etag', models.CharField(max_length=80)),
                        ('cache_tags', models.CharField(default='', max_length=2000)),
                    ],
                    options={
                        'db_table': 'articles_publisheddocument',
                    },
                ),
                migrations.CreateModel(
                    name='PublishedTopic',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ],
                    options={
                        'db_table': 'articles_publishedtopic',
                    },
                ),
                migrations.CreateModel(
                    name='ChangeEvent',
                    fields=[
                        ('id', models.BigAutoField(primary_key=True, serialize=False)),
                        ('event', models.CharField(choices=[('published', 'Published'), ('updated', 'Updated'), ('unpublished', 'Unpublished')], max_length=20)),
                        ('slug', models.SlugField(max_length=120)),
                        ('locale', models.CharField(max_length=10)),
                        ('revision_number', models.PositiveIntegerField(null=True)),
                        ('at', models.DateTimeField()),
                        ('purge_keys', models.TextField(blank=True, default='')),
                        ('article', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='articles.article')),
                    ],
                    options={
                        'db_table': 'articles_changeevent',
                        'ordering': ['id'],
                    },
                ),
                migrations.CreateModel(
                    name='PublishedSearch',
                    fields=[
                        ('document', models.OneToOneField(db_column='article_id', on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name='search', serialize=False, to='delivery.publisheddocument')),
                        ('locale', models.CharField(max_length=10)),
                        ('last_updated_at', models.DateTimeField()),
                        ('search_vector', django.contrib.postgres.search.SearchVectorField()),
                        ('rank_vector', django.contrib.postgres.search.SearchVectorField()),
                    ],
                    options={
                        'db_table': 'articles_publishedsearch',
                    },
                ),
                migrations.AddIndex(
                    model_name='publisheddocument',
                    index=models.Index(fields=['-last_updated_at', '-article'], name='document_newest'),
                ),
                migrations.AddIndex(
                    model_name='publisheddocument',
                    index=models.Index(fields=['locale', '-last_updated_at', '-article'], name='document_locale_newest'),
                ),
                migrations.AddConstraint(
                    model_name='publisheddocument',
                    constraint=models.UniqueConstraint(fields=('slug', 'locale'), name='document_slug_locale_unique'),
                ),
                migrations.AddField(
                    model_name='publishedcode',
                    name='document',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='code_links', to='delivery.publisheddocument'),
                ),
                migrations.AddField(
                    model_name='publishedtopic',
                    name='document',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='topic_links', to='delivery.publisheddocument'),
                ),
                migrations.AddField(
                    model_name='publishedtopic',
                    name='topic',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='live_links', to='articles.topic'),
                ),
                migrations.AddConstraint(
                    model_name='changeevent',
                    constraint=models.CheckConstraint(condition=models.Q(('event__in', ['published', 'updated', 'unpublished'])), name='change_event_kind_valid'),
                ),
                migrations.AddConstraint(
                    model_name='publishedcode',
                    constraint=models.UniqueConstraint(fields=('system', 'code', 'document'), name='published_code_unique'),
                ),
                migrations.AddConstraint(
                    model_name='publishedtopic',
                    constraint=models.UniqueConstraint(fields=('topic', 'document'), name='published_topic_unique'),
                ),
            ],
            database_operations=[],
        ),
    ]
