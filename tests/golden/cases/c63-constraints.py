# Seed 002's Product model and its constraints: the reserved 'metadata' attribute, then __table_args__ with CheckConstraint and UniqueConstraint, ForeignKey(ondelete=)
from sqlalchemy import (
    Integer, String, Float, Boolean, DateTime, Date, Time,
    Text, JSON, DECIMAL, CHAR, VARCHAR, LargeBinary,
    Enum, UniqueConstraint, ForeignKey, CheckConstraint
)

from datetime import datetime
Base = declarative_base()


class Product(Base):
    __tablename__ = 'products'
    
    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False)
    description = Column(Text)  # Longer text
    price = Column(DECIMAL(10, 2), nullable=False)
    quantity = Column(Integer, default=0)
    created_at = Column(DateTime, default=datetime.utcnow)
    metadata = Column(JSON)  # JSON data
    status = Column(Enum('active', 'inactive', 'discontinued'), default='active')
    
    # Constraints
    __table_args__ = (
        CheckConstraint('price > 0'),
        UniqueConstraint('name', name='uq_product_name'),
    )


class Shop(Base):
    __tablename__ = "shops"
    id = Column(Integer, primary_key=True)


class Item(Base):
    __tablename__ = "items"

    id = Column(Integer, primary_key=True)
    name = Column(String(200), nullable=False, unique=True)
    shop_id = Column(Integer, ForeignKey("shops.id", ondelete="CASCADE"))
    price = Column(DECIMAL(10, 2), nullable=False)
    quantity = Column(Integer, default=0)
    extra = Column(JSON)
    status = Column(Enum('active', 'inactive', 'discontinued'), default='active')
    __table_args__ = (
        CheckConstraint('price > 0'),
        UniqueConstraint('name', 'shop_id', name='uq_item_name'),
    )


own = create_engine("sqlite://")
Base.metadata.create_all(own)
with Session(own) as s:
    s.add(Item(name="Pen", price=2, shop_id=None))
    s.commit()
    s.add(Item(name="Free pen", price=0))
    s.commit()
