"""Campus sign-in: university identities linked to accounts, CAS tickets for single logout.

Revision ID: 0016
Revises: 0015

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '0016'
down_revision = '0015'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "external_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("provider", sa.String(length=20), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("last_used_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"],
                                name=op.f("fk_external_identity_user_id_user")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_external_identity")),
        sa.UniqueConstraint("provider", "subject",
                            name=op.f("uq_external_identity_provider_subject")),
    )
    op.create_index(op.f("ix_external_identity_user_id"), "external_identity", ["user_id"])
    op.create_table(
        "cas_ticket",
        sa.Column("ticket", sa.String(length=256), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_cas_ticket_user_id_user")),
        sa.PrimaryKeyConstraint("ticket", name=op.f("pk_cas_ticket")),
    )
    op.create_index(op.f("ix_cas_ticket_user_id"), "cas_ticket", ["user_id"])


def downgrade():
    op.drop_index(op.f("ix_cas_ticket_user_id"), table_name="cas_ticket")
    op.drop_table("cas_ticket")
    op.drop_index(op.f("ix_external_identity_user_id"), table_name="external_identity")
    op.drop_table("external_identity")
