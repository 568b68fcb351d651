"""Sales: products, orders (entry, quantities, delivery, payment, cancellation), totals, pages and roles."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.directory.models import Cooperative, School, Sector
from app.extensions import db
from app.sales import service
from app.sales.models import CANCELLED, DELIVERED, ORDERED, PAID, PART_PAID, TO_PAY, Order, OrderLine, Product
from app.money import money
from app.testing import login, post_form
from app.years.service import current_year, get_or_create_year

TODAY = date.today()


@pytest.fixture(scope="module")
def world(app):
    with app.app_context():
        year = current_year()
        laon, chauny = Sector(name="Laon (ventes)"), Sector(name="Chauny (ventes)")
        school = School(uai="0020101A", name="École Jean Macé", commune="Laon", sector=laon)
        other_school = School(uai="0020102B", name="École Voltaire", commune="Chauny", sector=chauny)
        coop = Cooperative(affiliation_number="020701", school=school, sector=laon, status="active")
        other = Cooperative(affiliation_number="020702", school=other_school, sector=chauny, status="active")
        agenda2 = Product(school_year_id=year.id, name="Agenda coop cycle 2", kind="agenda", cycle=2, unit_price=Decimal("6.50"))
        agenda3 = Product(school_year_id=year.id, name="Agenda coop cycle 3", kind="agenda", cycle=3, unit_price=Decimal("6.50"))
        calendar = Product(school_year_id=year.id, name="Calendrier illustré", kind="calendrier", unit_price=Decimal("3.00"))
        old = Product(school_year_id=year.id, name="Ancien agenda", kind="agenda", unit_price=Decimal("5.00"), active=False)
        db.session.add_all([laon, chauny, school, other_school, coop, other, agenda2, agenda3, calendar, old])
        db.session.commit()
        return {"year": year.id, "coop": coop.id, "other": other.id, "agenda2": agenda2.id, "agenda3": agenda3.id, "calendar": calendar.id, "old": old.id}


def _order(world, coop="coop", **quantities) -> Order:
    year = current_year()
    wanted = {db.session.get(Product, world[name]): quantity for name, quantity in quantities.items()}
    return service.place_order(db.session.get(Cooperative, world[coop]), year, wanted, delivery_mode="secteur")


# --- service -------------------------------------------------------------------------------


def test_an_order_copies_prices_and_keeps_totals_and_payment_status(app, world):
    with app.app_context():
        order = _order(world, agenda2=10, calendar=4)
        assert (order.copies, order.total, order.payment_status, order.status) == (14, Decimal("77.00"), TO_PAY, ORDERED)
        assert {line.product.name: line.unit_price for line in order.lines} == {"Agenda coop cycle 2": Decimal("6.50"), "Calendrier illustré": Decimal("3.00")}
        db.session.get(Product, world["agenda2"]).unit_price = Decimal("7.00")  # a later price change...
        db.session.commit()
        service.change_order(order, {db.session.get(Product, world["agenda2"]): 12, db.session.get(Product, world["agenda3"]): 2}, ordered_on=TODAY, delivery_mode="siege")
        prices = {line.product.name: line.unit_price for line in order.lines}
        assert prices == {"Agenda coop cycle 2": Decimal("6.50"), "Agenda coop cycle 3": Decimal("6.50")}  # the kept line keeps its price (not 7,00)
        assert (order.copies, order.total, order.delivery_mode) == (14, Decimal("91.00"), "siege")
        assert db.session.execute(select(func.count(OrderLine.id)).filter(OrderLine.order_id == order.id)).scalar_one() == 2  # the calendar line is gone
        db.session.get(Product, world["agenda2"]).unit_price = Decimal("6.50")
        db.session.commit()


def test_a_new_line_takes_the_products_price_of_the_day(app, world):
    with app.app_context():
        order = _order(world, agenda3=1)
        db.session.get(Product, world["calendar"]).unit_price = Decimal("3.50")
        db.session.commit()
        service.change_order(order, {db.session.get(Product, world["agenda3"]): 1, db.session.get(Product, world["calendar"]): 2}, ordered_on=TODAY, delivery_mode="poste")
        assert order.total == Decimal("13.50")
        db.session.get(Product, world["calendar"]).unit_price = Decimal("3.00")
        db.session.commit()


def test_payments_move_the_payment_status_and_never_exceed_the_total(app, world):
    with app.app_context():
        order = _order(world, agenda3=4)  # 26.00
        with pytest.raises(service.SaleRefused, match=r"^Le montant reçu doit être supérieur à 0\.$"):
            service.record_payment(order, Decimal("0"))
        service.record_payment(order, Decimal("10"), method="cheque")
        assert (order.amount_paid, order.payment_status, order.left_to_pay) == (Decimal("10.00"), PART_PAID, Decimal("16.00"))
        with pytest.raises(service.SaleRefused, match=r"^Le paiement \(20,00 €\) dépasse le reste à payer \(16,00 €\)\.$"):
            service.record_payment(order, Decimal("20"))
        with pytest.raises(service.SaleRefused, match=r"serait inférieur au montant déjà payé \(10,00 €\)"):
            service.change_order(order, {db.session.get(Product, world["agenda3"]): 1}, ordered_on=TODAY, delivery_mode="siege")
        assert db.session.get(Order, order.id).copies == 4  # nothing changed
        service.record_payment(order, Decimal("16"), method="virement", on=date(2025, 10, 3))
        assert (order.payment_status, order.paid_on, order.payment_method) == (PAID, date(2025, 10, 3), "virement")


def test_delivery_and_cancellation_rules(app, world):
    with app.app_context():
        order = _order(world, agenda2=2)
        service.deliver(order, on=date(2025, 11, 20))
        assert (order.status, order.delivered_on) == (DELIVERED, date(2025, 11, 20))
        with pytest.raises(service.SaleRefused, match=r"^Seule une commande en cours peut être livrée \(statut actuel : Livrée\)\.$"):
            service.deliver(order)
        with pytest.raises(service.SaleRefused, match=r"^Une commande livrée ne peut pas être annulée\.$"):
            service.cancel(order)
        with pytest.raises(service.SaleRefused, match=r"^Seule une commande en cours \(ni livrée ni annulée\) peut être modifiée"):
            service.change_order(order, {db.session.get(Product, world["agenda2"]): 3}, ordered_on=TODAY, delivery_mode="siege")
        other = _order(world, calendar=5)
        service.record_payment(other, Decimal("5"))
        assert service.cancel(other) == Decimal("5.00")  # paid, to be refunded
        assert other.status == CANCELLED and other.left_to_pay == Decimal("0.00")
        with pytest.raises(service.SaleRefused, match=r"^Cette commande est déjà annulée\.$"):
            service.cancel(other)
        with pytest.raises(service.SaleRefused, match=r"^Une commande annulée ne reçoit pas de paiement\.$"):
            service.record_payment(other, Decimal("1"))


def test_bad_orders_are_refused_in_french(app, world):
    with app.app_context():
        with pytest.raises(service.SaleRefused, match=r"^Indiquez une quantité pour au moins un produit\.$"):
            _order(world, agenda2=0)
        with pytest.raises(service.SaleRefused, match=r"^« Ancien agenda » n'est pas en vente pour l'année "):
            _order(world, old=3)
        past = get_or_create_year("2019-2020")
        stranger = Product(school_year_id=past.id, name="Agenda 2019", kind="agenda", unit_price=Decimal("5"))
        db.session.add(stranger)
        db.session.commit()
        with pytest.raises(service.SaleRefused, match=r"^« Agenda 2019 » n'est pas en vente"):
            service.place_order(db.session.get(Cooperative, world["coop"]), current_year(), {stranger: 1})
        order = _order(world, agenda2=1)
        with pytest.raises(service.SaleRefused, match=r"^Cette commande a été modifiée par quelqu'un d'autre"):
            service.change_order(order, {db.session.get(Product, world["agenda2"]): 2}, ordered_on=TODAY, delivery_mode="siege", version=order.version - 1)


def test_totals_per_product_and_per_sector(app, world):
    with app.app_context():
        year = get_or_create_year("2030-2031")  # a year of its own: only these orders count
        sector = Sector(name="Soissons")
        coop = Cooperative(affiliation_number="020801", school=School(uai="0020201C", name="École Paul Bert", commune="Soissons", sector=sector), sector=sector, status="active")
        lonely = Cooperative(affiliation_number="020802", school=School(uai="0020202D", name="École sans secteur", commune="Hirson"), status="active")
        agenda = Product(school_year_id=year.id, name="Agenda coop cycle 3", kind="agenda", cycle=3, unit_price=Decimal("6.50"))
        calendar = Product(school_year_id=year.id, name="Calendrier", kind="calendrier", unit_price=Decimal("3.00"))
        db.session.add_all([coop, lonely, agenda, calendar])
        db.session.commit()
        first = service.place_order(coop, year, {agenda: 10, calendar: 20})
        service.deliver(first)
        second = service.place_order(lonely, year, {agenda: 4})
        service.record_payment(second, Decimal("26"))
        cancelled = service.place_order(coop, year, {calendar: 100})
        service.cancel(cancelled)
        totals = {total.product.name: (total.quantity, total.amount, total.delivered, total.paid) for total in service.totals_by_product(year)}
        assert totals == {"Agenda coop cycle 3": (14, Decimal("91.00"), 10, 4), "Calendrier": (20, Decimal("60.00"), 20, 0)}
        sectors = {sector.name: (sector.quantities, sector.amount, sector.copies) for sector in service.totals_by_sector(year)}
        assert sectors == {"Soissons": ({agenda.id: 10, calendar.id: 20}, Decimal("125.00"), 30), "Sans secteur": ({agenda.id: 4}, Decimal("26.00"), 4)}
        assert service.year_figures(year) == {"orders": 2, "copies": 34, "amount": Decimal("151.00"), "paid": Decimal("26.00"), "left": Decimal("125.00")}


def test_demo_data_is_deterministic_and_idempotent(app, world):
    from app.sales.demo import load_sales_demo

    with app.app_context():
        year = get_or_create_year("2031-2032")
        db.session.commit()
        load_sales_demo(year)
        db.session.commit()
        first = [(order.cooperative_id, order.ordered_on, order.total) for order in db.session.execute(select(Order).filter(Order.school_year_id == year.id).order_by(Order.id)).scalars()]
        load_sales_demo(year)
        db.session.commit()
        names = db.session.execute(select(Product.name).filter(Product.school_year_id == year.id).order_by(Product.name)).scalars().all()
        assert names == ["Agenda coop cycle 2", "Agenda coop cycle 3", "Calendrier illustré par les élèves"]
        orders = db.session.execute(select(Order).filter(Order.school_year_id == year.id).order_by(Order.id)).scalars().all()
        assert len(orders) == 10 and [(order.cooperative_id, order.ordered_on, order.total) for order in orders] == first
        assert {order.status for order in orders} == {ORDERED, DELIVERED, CANCELLED}
        assert {order.payment_status for order in orders} == {TO_PAY, PART_PAID, PAID}
        assert all(order.total == sum((line.amount for line in order.lines), Decimal("0")) for order in orders)
        assert len(service.totals_by_sector(year)) >= 2


# --- pages ---------------------------------------------------------------------------------


@pytest.fixture
def gestion(app):
    client = app.test_client()
    login(client, "gestion")
    return client


def _client(app, username):
    client = app.test_client()
    login(client, username)
    return client


def test_new_order_page_finds_the_cooperative_and_keeps_what_was_typed(app, world, gestion):
    found = gestion.get("/ventes/commande/?q=Jean Macé").get_data(as_text=True)
    assert "020701" in found and f"/ventes/commande/{world['coop']}" in found
    url = f"/ventes/commande/{world['coop']}"
    page = gestion.get(url).get_data(as_text=True)
    assert "Nouvelle commande" in page and "Agenda coop cycle 3" in page and "Ancien agenda" not in page and "6,50 €" in page
    refused = post_form(gestion, url, {f"qty_{world['agenda2']}": "douze", f"qty_{world['calendar']}": "3", "ordered_on": TODAY.isoformat(), "delivery_mode": "secteur", "note": "Pour la réunion de secteur"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 200
    assert "« douze » n&#39;est pas une quantité valable pour « Agenda coop cycle 2 » : un nombre entier de 0 à 10000." in text
    assert 'value="douze"' in text and 'value="3"' in text and "Pour la réunion de secteur" in text and "9,00" in text
    odd = post_form(gestion, url, {f"qty_{world['agenda3']}": "²", "ordered_on": "31/02/2026", "delivery_mode": "secteur"})
    assert odd.status_code == 200 and "« ² » n&#39;est pas une quantité valable" in odd.get_data(as_text=True)
    assert "Indiquez la date de la commande." in odd.get_data(as_text=True) and 'value="31/02/2026"' in odd.get_data(as_text=True)
    empty = post_form(gestion, url, {"ordered_on": TODAY.isoformat(), "delivery_mode": "secteur"})
    assert "Indiquez une quantité pour au moins un produit." in empty.get_data(as_text=True)
    with app.app_context():
        before = db.session.execute(select(func.count(Order.id))).scalar_one()
    saved = post_form(gestion, url, {f"qty_{world['agenda2']}": "12", f"qty_{world['calendar']}": "3", "ordered_on": TODAY.isoformat(), "delivery_mode": "secteur", "note": "Réunion de Laon"})
    assert saved.status_code == 302 and "/orderview/show/" in saved.headers["Location"]
    with app.app_context():
        assert db.session.execute(select(func.count(Order.id))).scalar_one() == before + 1
        order = db.session.execute(select(Order).filter_by(note="Réunion de Laon")).scalar_one()
        assert (order.copies, order.total, order.created_by.username, order.delivery_mode) == (15, Decimal("87.00"), "gestion", "secteur")
        pk = order.id
    show = gestion.get(f"/orderview/show/{pk}").get_data(as_text=True)
    assert 'id="order-lines"' in show and "Agenda coop cycle 2" in show and "87,00 €" in show and "Modifier les quantités" in show and "Enregistrer un paiement" in show


def test_changing_the_quantities_of_an_undelivered_order(app, world, gestion):
    with app.app_context():
        order = _order(world, agenda3=5)
        pk, version = order.id, order.version
    url = f"/ventes/commande/modifier/{pk}"
    page = gestion.get(url).get_data(as_text=True)
    assert "Modifier la commande" in page and f'name="qty_{world["agenda3"]}"' in page and 'value="5"' in page
    stale = post_form(gestion, url, {f"qty_{world['agenda3']}": "7", "ordered_on": TODAY.isoformat(), "delivery_mode": "poste", "version": str(version - 1)})
    assert "modifiée par quelqu&#39;un d&#39;autre" in stale.get_data(as_text=True) and 'value="7"' in stale.get_data(as_text=True)
    saved = post_form(gestion, url, {f"qty_{world['agenda3']}": "7", f"qty_{world['calendar']}": "2", "ordered_on": TODAY.isoformat(), "delivery_mode": "poste"})
    assert saved.status_code == 302
    with app.app_context():
        order = db.session.get(Order, pk)
        assert (order.copies, order.total, order.delivery_mode) == (9, Decimal("51.50"), "poste")
        service.deliver(order)
    refused = gestion.get(url).get_data(as_text=True)
    assert "Seule une commande en cours (ni livrée ni annulée) peut être modifiée (statut actuel : Livrée)." in refused
    assert "Modifier les quantités" not in gestion.get(f"/orderview/show/{pk}").get_data(as_text=True)


def test_payment_form_refuses_a_bad_amount_and_records_a_good_one(app, world, gestion):
    with app.app_context():
        pk = _order(world, agenda2=2, calendar=1).id  # 16.00
    url = f"/orderview/paiement/{pk}"
    assert 'value="16,00"' in gestion.get(url).get_data(as_text=True)
    bad = post_form(gestion, url, {"amount": "seize", "paid_on": TODAY.isoformat(), "payment_method": "cheque"})
    assert "« seize » n&#39;est pas un montant : écrivez-le par exemple 12,50." in bad.get_data(as_text=True) and 'value="seize"' in bad.get_data(as_text=True)
    too_much = post_form(gestion, url, {"amount": "20", "paid_on": TODAY.isoformat(), "payment_method": "cheque"})
    assert "Le paiement (20,00 €) dépasse le reste à payer (16,00 €)." in too_much.get_data(as_text=True)
    saved = post_form(gestion, url, {"amount": "10,50 €", "paid_on": TODAY.isoformat(), "payment_method": "cheque"})
    assert saved.status_code == 302
    follow = gestion.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Paiement de 10,50 € enregistré pour la commande V" in follow and "(Payée partiellement)" in follow
    with app.app_context():
        order = db.session.get(Order, pk)
        assert (order.amount_paid, order.payment_status, order.payment_method) == (Decimal("10.50"), PART_PAID, "cheque")
    action = post_form(gestion, "/orderview/action_post", {"action": "payment", "rowid": [str(pk)]}, token_from="/orderview/list/")
    assert action.status_code == 302 and action.headers["Location"].endswith(f"/orderview/paiement/{pk}")


def test_list_actions_deliver_and_cancel(app, world, gestion):
    with app.app_context():
        first, second = _order(world, agenda2=1).id, _order(world, coop="other", calendar=2).id
    listing = gestion.get("/orderview/list/").get_data(as_text=True)
    assert "Marquer livrée" in listing and "Annuler la commande" in listing and "execute_multiple('deliver','Marquer les commandes choisies comme livrées à la date du jour ?')" in listing
    response = post_form(gestion, "/orderview/action_post", {"action": "deliver", "rowid": [str(first)]}, token_from="/orderview/list/")
    assert response.status_code == 302
    response = post_form(gestion, "/orderview/action_post", {"action": "cancel", "rowid": [str(first), str(second)]}, token_from="/orderview/list/")
    follow = gestion.get(response.headers["Location"]).get_data(as_text=True)
    assert "Une commande livrée ne peut pas être annulée." in follow and "1 commande(s) annulée(s)." in follow
    with app.app_context():
        assert (db.session.get(Order, first).status, db.session.get(Order, first).delivered_on) == (DELIVERED, TODAY)
        assert db.session.get(Order, second).status == CANCELLED
        third = _order(world, calendar=1).id
    # the show page's own action button (one order)
    post_form(gestion, f"/orderview/action/deliver/{third}", {}, token_from=f"/orderview/show/{third}")
    assert post_form(gestion, "/orderview/action/deliver/999999", {}, token_from="/orderview/list/").status_code in (302, 404)
    assert post_form(gestion, f"/orderview/action/unknown/{third}", {}, token_from="/orderview/list/").status_code == 404
    with app.app_context():
        assert db.session.get(Order, third).status == DELIVERED
        numbers = {pk: db.session.get(Order, pk).number for pk in (first, second, third)}
    delivered = gestion.get("/orderview/list/?_flt_0_status=livree&psize_OrderView=100").get_data(as_text=True)
    assert numbers[first] in delivered and numbers[third] in delivered and numbers[second] not in delivered
    chauny = gestion.get("/orderview/list/?_flt_2_cooperative=020702&psize_OrderView=100").get_data(as_text=True)
    assert numbers[second] in chauny and numbers[first] not in chauny


def test_payment_reminders_go_to_the_mandataires_of_unpaid_orders(app, world, gestion):
    from app.directory.models import Person
    from app.mail.models import MailMessage

    with app.app_context():
        other = db.session.get(Cooperative, world["other"])
        other.mandataire = Person(first_name="Paul", last_name="Lefèvre", civility="M.", email="paul.lefevre@ac-amiens.example", school_id=other.school_id)
        db.session.commit()
        unpaid = _order(world, coop="other", agenda3=2)  # 13.00
        part = _order(world, coop="other", calendar=4)  # 12.00
        service.record_payment(part, Decimal("5"))
        paid = _order(world, coop="other", calendar=1)
        service.record_payment(paid, Decimal("3"))
        stranger = _order(world, coop="coop", agenda2=1)  # no mandataire
        ids = [unpaid.id, part.id, paid.id, stranger.id]
    response = post_form(gestion, "/orderview/action_post", {"action": "remind", "rowid": [str(pk) for pk in ids]}, token_from="/orderview/list/")
    follow = gestion.get(response.headers["Location"]).get_data(as_text=True)
    assert "1 relance(s) de paiement mise(s) dans la file d&#39;envoi." in follow
    assert "1 commande(s) sans reste à payer (ou annulée(s)) : pas de relance." in follow
    assert "Pas d&#39;adresse électronique pour la coopérative 020701 : relancez-la par téléphone." in follow
    with app.app_context():
        message = db.session.execute(select(MailMessage).filter_by(recipient_email="paul.lefevre@ac-amiens.example", module="sales")).scalar_one()
        assert message.subject == "OCCE 02 : règlement de votre commande"
        assert message.body_text.startswith("Bonjour M. Lefèvre,")
        assert f"la commande {db.session.get(Order, ids[0]).number} du {TODAY:%d/%m/%Y} (2 exemplaire(s), 13,00 €) : reste à payer 13,00 €" in message.body_text
        assert "reste à payer 7,00 €" in message.body_text and db.session.get(Order, ids[2]).number not in message.body_text
        assert [db.session.get(Order, pk).payment_reminded_on for pk in ids] == [TODAY, TODAY, None, None]


def test_actions_ignore_orders_of_another_year(app, world, gestion):
    with app.app_context():
        past = get_or_create_year("2018-2019")
        product = Product(school_year_id=past.id, name="Agenda 2018", kind="agenda", unit_price=Decimal("5"))
        db.session.add(product)
        db.session.commit()
        old = Order(school_year_id=past.id, cooperative_id=world["coop"], ordered_on=date(2018, 10, 1), delivery_mode="siege", status=ORDERED, payment_status=TO_PAY)
        old.lines.append(OrderLine(product_id=product.id, quantity=3, unit_price=Decimal("5")))
        service.refresh_totals(old)
        db.session.add(old)
        db.session.commit()
        pk = old.id
    assert f"/orderview/show/{pk}\"" not in gestion.get("/orderview/list/?psize_OrderView=100").get_data(as_text=True)
    assert gestion.get(f"/orderview/show/{pk}").status_code in (302, 404)
    post_form(gestion, "/orderview/action_post", {"action": "deliver", "rowid": [str(pk)]}, token_from="/orderview/list/")
    with app.app_context():
        assert db.session.get(Order, pk).status == ORDERED


def test_delivery_note_pdf(app, world, gestion):
    with app.app_context():
        pk = _order(world, agenda3=3).id
    response = gestion.get(f"/orderview/bon/{pk}")
    assert response.status_code == 200 and response.mimetype == "application/pdf" and response.data.startswith(b"%PDF")
    assert "bon-livraison" in response.headers["Content-Disposition"]


def test_totals_page_bars_and_exports(app, world, gestion):
    with app.app_context():
        _order(world, coop="other", agenda3=4)
    page = gestion.get("/ventes/totaux/").get_data(as_text=True)
    assert "Ventes : totaux" in page and 'id="totals-by-product"' in page and 'id="totals-by-sector"' in page
    assert "Laon (ventes)" in page and "Chauny (ventes)" in page and "Les commandes annulées ne sont pas comptées." in page
    with app.app_context():
        by_product = {total.product.id: total for total in service.totals_by_product(current_year())}
        agenda2 = by_product[world["agenda2"]]
    assert re.search(rf'id="product-{world["agenda2"]}">\s*<td>Agenda coop cycle 2</td><td class="text-right">{agenda2.quantity}</td><td class="text-right">{re.escape(money(agenda2.amount))}</td>', page)
    csv = gestion.get("/ventes/totaux/export/produits/csv")
    assert csv.status_code == 200
    body = csv.data.decode("utf-8-sig")
    assert "Produit;Exemplaires commandés;Montant (€);Exemplaires livrés;Exemplaires payés" in body.splitlines()[0].replace(",", ";")
    assert "Agenda coop cycle 2" in body
    xlsx = gestion.get("/ventes/totaux/export/secteurs/xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert gestion.get("/ventes/totaux/export/inconnu/csv").status_code == 404


def test_products_page_adds_with_a_french_price_and_refuses_duplicates(app, world, gestion):
    listing = gestion.get("/productview/list/").get_data(as_text=True)
    assert "Produits en vente" in listing and "Agenda coop cycle 3" in listing and "6,50 €" in listing
    saved = post_form(gestion, "/productview/add", {"name": "Carnet coop", "kind": "autre", "cycle": "", "unit_price": "2,50", "active": "y"})
    assert saved.status_code == 302
    with app.app_context():
        product = db.session.execute(select(Product).filter_by(name="Carnet coop")).scalar_one()
        assert (product.unit_price, product.cycle, product.school_year_id) == (Decimal("2.50"), None, world["year"])
    duplicate = post_form(gestion, "/productview/add", {"name": "carnet coop", "kind": "autre", "cycle": "3", "unit_price": "2", "description": "Doublon"})
    text = duplicate.get_data(as_text=True)
    assert duplicate.status_code == 200 and "Un produit « carnet coop » existe déjà pour cette année." in text and "Doublon" in text
    bad = post_form(gestion, "/productview/add", {"name": "Affiche", "kind": "autre", "cycle": "", "unit_price": "deux euros"})
    assert "« deux euros » n&#39;est pas un prix : écrivez-le par exemple 6,50." in bad.get_data(as_text=True) and "Un prix de 0 à 10 000 €." not in bad.get_data(as_text=True)
    dear = post_form(gestion, "/productview/add", {"name": "Affiche", "kind": "autre", "cycle": "", "unit_price": "12000"})
    assert "Un prix de 0 à 10 000 €." in dear.get_data(as_text=True)


def test_a_product_already_ordered_cannot_be_deleted(app, world, gestion):
    with app.app_context():
        _order(world, calendar=1)
        spare = Product(school_year_id=world["year"], name="Produit à supprimer", kind="autre", unit_price=Decimal("1"))
        db.session.add(spare)
        db.session.commit()
        spare_id = spare.id
    refused = post_form(gestion, f"/productview/delete/{world['calendar']}", {}, token_from="/productview/list/", follow_redirects=True)
    assert "« Calendrier illustré » figure dans" in refused.get_data(as_text=True) and "Décochez « En vente » pour ne plus le proposer." in refused.get_data(as_text=True)
    post_form(gestion, f"/productview/delete/{spare_id}", {}, token_from="/productview/list/")
    with app.app_context():
        assert db.session.get(Product, world["calendar"]) is not None and db.session.get(Product, spare_id) is None


def test_cooperative_tab_and_dashboard_card(app, world, gestion):
    hub = gestion.get(f"/cooperativeview/show/{world['coop']}").get_data(as_text=True)
    assert "Commandes (ventes)" in hub and "Nouvelle commande" in hub and f"/ventes/commande/{world['coop']}" in hub
    home = gestion.get("/").get_data(as_text=True)
    assert "Ventes : exemplaires commandés" in home and "reste à payer" in home


# --- roles ---------------------------------------------------------------------------------


def test_conseil_reads_lists_and_totals_but_changes_and_exports_nothing(app, world):
    conseil = _client(app, "conseil")
    with app.app_context():
        pk = _order(world, agenda2=1).id
    assert conseil.get("/orderview/list/").status_code == 200
    assert conseil.get(f"/orderview/show/{pk}").status_code == 200
    totals = conseil.get("/ventes/totaux/")
    assert totals.status_code == 200 and "Exporter CSV" not in totals.get_data(as_text=True)
    assert conseil.get("/productview/list/").status_code == 200
    for url in ("/ventes/totaux/export/produits/csv", "/orderview/export/csv", f"/ventes/commande/{world['coop']}", f"/orderview/paiement/{pk}", "/productview/add"):
        assert conseil.get(url).status_code in (302, 403), url
    post_form(conseil, "/orderview/action_post", {"action": "cancel", "rowid": [str(pk)]}, token_from="/orderview/list/")
    with app.app_context():
        assert db.session.get(Order, pk).status == ORDERED


def test_animation_marks_deliveries_but_neither_pays_nor_cancels(app, world):
    animation = _client(app, "animation")
    with app.app_context():
        pk = _order(world, agenda3=2).id
    post_form(animation, "/orderview/action_post", {"action": "cancel", "rowid": [str(pk)]}, token_from="/orderview/list/")
    assert animation.get(f"/orderview/paiement/{pk}").status_code in (302, 403)
    with app.app_context():
        assert db.session.get(Order, pk).status == ORDERED
    post_form(animation, "/orderview/action_post", {"action": "deliver", "rowid": [str(pk)]}, token_from="/orderview/list/")
    with app.app_context():
        assert db.session.get(Order, pk).status == DELIVERED


def test_partners_see_no_sales(app, world):
    partner = _client(app, "partenaire")
    for url in ("/orderview/list/", "/ventes/totaux/", "/productview/list/", "/ventes/commande/"):
        assert partner.get(url).status_code in (302, 403), url
    home = partner.get("/")
    assert home.status_code == 200 and "Ventes : exemplaires commandés" not in home.get_data(as_text=True)
