"""Phrase banks per language (chat and SMS lines, email subjects, agent notes) and the draw that
renders them into a world's text pools, with order numbers, amounts and names filled in."""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["Phrases", "draw_phrases"]


@dataclass(frozen=True, slots=True)
class Phrases:
    """Chat/SMS lines, email subjects and agent notes: templates in a bank, rendered in a world."""

    messages: tuple[str, ...]
    subjects: tuple[str, ...]
    notes: tuple[str, ...]


_PHRASES: dict[str, Phrases] = {
    "en": Phrases(
        messages=(
            "Hi, I have a question about my last bill.",
            "My order {order} still hasn't arrived.",
            "I was charged twice this month, can you check?",
            "Can I change the delivery address for order {order}?",
            "The app keeps logging me out.",
            "I'd like to cancel my subscription.",
            "How do I reset my password?",
            "I got an email saying my payment of {amount} failed.",
            "The item arrived damaged. What are my options?",
            "Can someone call me back this afternoon?",
            "Thanks, that fixed it!",
            "My internet has been down since this morning.",
            "I never received the refund of {amount}.",
            "Do you have any discounts for existing customers?",
            "Hi {name}, thanks for reaching out! How can I help you today?",
            "Let me look into that for you, one moment please.",
            "Could you please confirm the email address on the account?",
            "I can see order {order} is out for delivery today.",
            "I've issued a refund of {amount}; it should appear within 3-5 business days.",
            "I've escalated this to our technical team, they'll follow up by email.",
            "Is there anything else I can help you with?",
            "Thanks for your patience, {name}.",
            "Could you try restarting the device and let me know if that helps?",
        ),
        subjects=(
            "Question about invoice {invoice}",
            "Order {order} not delivered",
            "Refund request for order {order}",
            "Change of address",
            "Complaint: damaged item",
            "Cancel my subscription",
            "Payment of {amount} failed",
            "Re: Your support ticket {ticket}",
            "Request for callback",
            "Unable to log in",
            "Warranty claim for order {order}",
            "Update my billing details",
        ),
        notes=(
            "Customer satisfied, no follow-up.",
            "Refund of {amount} processed.",
            "Escalated to Tier 2, ticket {ticket}.",
            "Sent password reset link.",
            "Callback scheduled for tomorrow.",
            "Explained charges on latest invoice.",
            "Updated shipping address on order {order}.",
            "Customer will call back with account number.",
            "Replacement sent for order {order}.",
            "Issue not resolved, awaiting engineering.",
            "Offered 10% retention discount, accepted.",
            "Verified identity, updated contact details.",
        ),
    ),
    "de": Phrases(
        messages=(
            "Hallo, ich habe eine Frage zu meiner letzten Rechnung.",
            "Meine Bestellung {order} ist noch nicht angekommen.",
            "Mir wurde diesen Monat doppelt abgebucht, können Sie das prüfen?",
            "Kann ich die Lieferadresse für die Bestellung {order} ändern?",
            "Die App meldet mich ständig ab.",
            "Ich möchte mein Abo kündigen.",
            "Wie setze ich mein Passwort zurück?",
            "Laut einer E-Mail ist meine Zahlung über {amount} fehlgeschlagen.",
            "Der Artikel ist beschädigt angekommen. Was kann ich tun?",
            "Kann mich heute Nachmittag jemand zurückrufen?",
            "Danke, jetzt funktioniert es!",
            "Mein Internet ist seit heute Morgen ausgefallen.",
            "Ich habe die Erstattung über {amount} nie erhalten.",
            "Hallo {name}, danke für Ihre Nachricht! Wie kann ich Ihnen helfen?",
            "Einen Moment bitte, ich schaue mir das für Sie an.",
            "Können Sie mir bitte die E-Mail-Adresse Ihres Kontos bestätigen?",
            "Ihre Bestellung {order} wird heute zugestellt.",
            "Ich habe eine Erstattung über {amount} veranlasst, sie kommt in 3-5 Werktagen an.",
            "Ich habe das an unser Technik-Team weitergeleitet, Sie erhalten eine E-Mail.",
            "Kann ich sonst noch etwas für Sie tun?",
            "Vielen Dank für Ihre Geduld, {name}.",
        ),
        subjects=(
            "Frage zur Rechnung {invoice}",
            "Bestellung {order} nicht geliefert",
            "Erstattung für Bestellung {order}",
            "Adressänderung",
            "Reklamation: beschädigter Artikel",
            "Kündigung meines Abos",
            "Zahlung über {amount} fehlgeschlagen",
            "AW: Ihr Support-Ticket {ticket}",
            "Bitte um Rückruf",
            "Anmeldung nicht möglich",
            "Garantiefall zu Bestellung {order}",
            "Änderung meiner Bankverbindung",
        ),
        notes=(
            "Kunde zufrieden, kein Follow-up nötig.",
            "Erstattung über {amount} veranlasst.",
            "An 2nd Level eskaliert, Ticket {ticket}.",
            "Link zum Zurücksetzen des Passworts gesendet.",
            "Rückruf für morgen vereinbart.",
            "Positionen der letzten Rechnung erklärt.",
            "Lieferadresse für Bestellung {order} geändert.",
            "Kunde meldet sich mit Kundennummer zurück.",
            "Ersatz für Bestellung {order} versendet.",
            "Problem ungelöst, wartet auf Technik.",
            "10 % Halterabatt angeboten, angenommen.",
            "Identität geprüft, Kontaktdaten aktualisiert.",
        ),
    ),
    "fr": Phrases(
        messages=(
            "Bonjour, j'ai une question sur ma dernière facture.",
            "Ma commande {order} n'est toujours pas arrivée.",
            "J'ai été prélevé deux fois ce mois-ci, pouvez-vous vérifier ?",
            "Puis-je modifier l'adresse de livraison de la commande {order} ?",
            "L'application me déconnecte sans arrêt.",
            "Je souhaite résilier mon abonnement.",
            "Comment réinitialiser mon mot de passe ?",
            "J'ai reçu un e-mail indiquant que mon paiement de {amount} a échoué.",
            "L'article est arrivé endommagé. Que puis-je faire ?",
            "Quelqu'un peut-il me rappeler cet après-midi ?",
            "Merci, ça fonctionne maintenant !",
            "Ma connexion internet est coupée depuis ce matin.",
            "Je n'ai jamais reçu le remboursement de {amount}.",
            "Bonjour {name}, merci de nous avoir contactés ! Comment puis-je vous aider ?",
            "Je regarde cela pour vous, un instant s'il vous plaît.",
            "Pouvez-vous me confirmer l'adresse e-mail du compte ?",
            "Votre commande {order} sera livrée aujourd'hui.",
            "J'ai effectué un remboursement de {amount}, visible sous 3 à 5 jours ouvrés.",
            "J'ai transmis votre demande à notre équipe technique, elle vous répondra par e-mail.",
            "Puis-je vous aider pour autre chose ?",
            "Merci pour votre patience, {name}.",
        ),
        subjects=(
            "Question sur la facture {invoice}",
            "Commande {order} non livrée",
            "Demande de remboursement pour la commande {order}",
            "Changement d'adresse",
            "Réclamation : article endommagé",
            "Résiliation de mon abonnement",
            "Échec du paiement de {amount}",
            "RE : Votre ticket {ticket}",
            "Demande de rappel",
            "Impossible de me connecter",
            "Garantie pour la commande {order}",
            "Mise à jour de mes coordonnées bancaires",
        ),
        notes=(
            "Client satisfait, pas de suivi.",
            "Remboursement de {amount} effectué.",
            "Escaladé au niveau 2, ticket {ticket}.",
            "Lien de réinitialisation envoyé.",
            "Rappel prévu demain.",
            "Explication des frais de la dernière facture.",
            "Adresse de livraison modifiée pour la commande {order}.",
            "Le client rappellera avec son numéro de compte.",
            "Remplacement envoyé pour la commande {order}.",
            "Problème non résolu, en attente de l'équipe technique.",
            "Remise de fidélité de 10 % proposée, acceptée.",
            "Identité vérifiée, coordonnées mises à jour.",
        ),
    ),
    "ja": Phrases(
        messages=(
            "こんにちは、先月の請求書について質問があります。",
            "注文番号{order}の商品がまだ届いていません。",
            "今月二重に請求されているようです。確認してもらえますか。",
            "注文{order}の配送先住所を変更できますか。",
            "アプリから何度もログアウトされてしまいます。",
            "サブスクリプションを解約したいです。",
            "パスワードのリセット方法を教えてください。",
            "{amount}の支払いが失敗したというメールが届きました。",
            "届いた商品が破損していました。交換をお願いします。",
            "今日の午後に折り返し電話をもらえますか。",
            "ありがとうございます、解決しました。",
            "今朝からインターネットがつながりません。",
            "{amount}の返金がまだ届いていません。",
            "{name}様、お問い合わせありがとうございます。ご用件をお伺いします。",
            "確認いたしますので、少々お待ちください。",
            "アカウントに登録されているメールアドレスを教えていただけますか。",
            "ご注文{order}は本日お届け予定です。",
            "{amount}の返金手続きを行いました。3〜5営業日以内に反映されます。",
            "技術担当に引き継ぎました。メールにてご連絡いたします。",
            "他にご不明な点はございますか。",
            "お待たせいたしました、{name}様。",
        ),
        subjects=(
            "請求書{invoice}についての質問",
            "注文{order}が届かない",
            "注文{order}の返金依頼",
            "住所変更のお願い",
            "破損商品についての苦情",
            "サブスクリプション解約のお願い",
            "{amount}の支払い失敗について",
            "RE: サポートチケット{ticket}",
            "折り返し電話のお願い",
            "ログインできません",
            "注文{order}の保証請求",
            "支払い情報の変更",
        ),
        notes=(
            "お客様納得、フォロー不要。",
            "{amount}の返金処理済み。",
            "二次対応へエスカレーション、チケット{ticket}。",
            "パスワードリセットのリンクを送付。",
            "明日折り返し予定。",
            "最新の請求内容を説明。",
            "注文{order}の配送先を変更。",
            "アカウント番号確認後にお客様より折り返し。",
            "注文{order}の交換品を発送。",
            "未解決、技術部門の回答待ち。",
            "10%の継続割引を提案し承諾。",
            "本人確認済み、連絡先を更新。",
        ),
    ),
}
"""Chat/SMS lines, email subjects and agent notes per language, with slots filled per draw."""


def _amount(rng: random.Random, locale: str) -> str:
    cents = rng.randrange(500, 50000)
    if locale == "ja_JP":
        return f"{cents * 2:,}円"
    if locale in ("de_DE", "fr_FR"):
        return f"{cents // 100},{cents % 100:02d} €"
    return f"{'£' if locale == 'en_GB' else '$'}{cents // 100}.{cents % 100:02d}"


def _fill(
    rng: random.Random, locale: str, templates: Sequence[str], count: int, name: Callable[[], str]
) -> tuple[str, ...]:
    """Render ``count`` lines from ``templates``, deduplicated in draw order."""
    lines = []
    for _ in range(count):
        template = rng.choice(templates)
        lines.append(
            template.format(
                order=rng.randrange(1000000, 9999999),
                invoice=f"INV-{rng.randrange(100000, 999999)}",
                ticket=f"#{rng.randrange(100000, 999999)}",
                amount=_amount(rng, locale),
                name=name() if "{name}" in template else "",
            )
        )
    return tuple(dict.fromkeys(lines))


def draw_phrases(rng: random.Random, locale: str, name: Callable[[], str]) -> Phrases:
    """A world's text pools in ``locale``'s language: 300 lines, 100 subjects, 100 notes.

    Drawn subjects first, then lines, then notes; ``name`` draws the customer name a greeting
    addresses.
    """
    bank = _PHRASES[locale[:2]]
    subjects = _fill(rng, locale, bank.subjects, 100, name)
    messages = _fill(rng, locale, bank.messages, 300, name)
    notes = _fill(rng, locale, bank.notes, 100, name)
    return Phrases(messages=messages, subjects=subjects, notes=notes)
