"""Small reads that a page's first view makes for that page, compiled to SQL once.

Building a queryset's SQL costs Django several times what running a small statement
costs: reading a page's files took about 0.9 ms, of which the statement was about 0.2 ms.
``PageRows`` has the ORM write the statement once per database, with a marker where the
page's key goes, and afterwards only runs it with the page's key and turns the values
into Python as the ORM would (the database's and the fields' converters)."""

from django.db import connections, router

#: Stands for the page's key while the statement is compiled; an integer no page has.
MARKER = -1_234_567_891


class PageRows:
    """The rows of ``build(key)``, a ``values_list`` queryset of ``model`` for one page's
    key, as a list of tuples."""

    def __init__(self, model, build):
        self.model = model
        self.build = build
        self.statements = {}

    def __call__(self, key):
        if key is None:
            return []
        alias = router.db_for_read(self.model)
        statement = self.statements.get(alias)
        if statement is None:
            statement = self.statements[alias] = self.compile(alias)
        sql, params, places, converters = statement
        params = list(params)
        for place in places:
            params[place] = key
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        if not converters:
            return rows
        converted = []
        for row in rows:
            row = list(row)
            for index, (functions, expression) in converters:
                value = row[index]
                for function in functions:
                    value = function(value, expression, connection)
                row[index] = value
            converted.append(tuple(row))
        return converted

    def compile(self, alias):
        compiler = self.build(MARKER).using(alias).query.get_compiler(alias)
        sql, params = compiler.as_sql()
        places = [place for place, value in enumerate(params) if value == MARKER]
        if not places:
            raise ValueError(f"{self.model.__name__}: the page's key is not a parameter")
        expressions = [column for column, _sql, _alias in compiler.select]
        converters = sorted(compiler.get_converters(expressions).items())
        return sql, tuple(params), places, converters


def insert_sql(instance, using, returning=()):
    """The ORM's INSERT of ``instance`` as (sql, params), for composing with others into one
    statement: the fields Django's ``save()`` would write (their ``pre_save`` applied, so
    ``auto_now`` and defaults are filled in on the instance), and ``returning`` (field names)
    returned. A field's value may be an expression, e.g. ``RawSQL`` naming a common table
    expression of the statement it goes into."""
    from django.db.models.sql import InsertQuery

    meta = instance._meta
    pk_set = instance.pk is not None
    fields = [
        field
        for field in meta.local_concrete_fields
        if not getattr(field, "generated", False) and (pk_set or field is not meta.auto_field)
    ]
    query = InsertQuery(type(instance))
    query.insert_values(fields, [instance])
    compiler = query.get_compiler(using=using)
    compiler.returning_fields = [meta.get_field(name) for name in returning] or None
    [(sql, params)] = compiler.as_sql()
    return sql, tuple(params)


def planned_once_cursor(connection):
    """A cursor whose statements PostgreSQL plans once per connection when they repeat.

    Django's PostgreSQL cursors bind values on the client (unless the database's OPTIONS
    say ``server_side_binding``), so PostgreSQL parses and plans each statement anew. This is
    psycopg's own cursor instead, wrapped as Django wraps its cursors (queries logged and
    counted alike): it binds values on the server, and psycopg prepares a statement once it
    has run ``prepare_threshold`` times on the connection (5 unless the database's OPTIONS
    say otherwise; ``None``, as behind PgBouncer in transaction mode, never). For a
    statement a page runs every time with other values. Elsewhere, the connection's cursor.
    """
    if connection.vendor == "postgresql":
        try:
            import psycopg
        except ImportError:  # psycopg2 binds on the client only
            psycopg = None
        if psycopg is not None:
            connection.ensure_connection()
            raw = connection.connection
            if isinstance(raw, psycopg.Connection):
                connection.validate_thread_sharing()
                cursor = psycopg.Cursor(raw)
                if connection.queries_logged:
                    return connection.make_debug_cursor(cursor)
                return connection.make_cursor(cursor)
    return connection.cursor()
