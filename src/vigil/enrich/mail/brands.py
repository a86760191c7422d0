"""Brands that phishing imitates most, the domains they really send from and link to, and other lists.

A brand's ``names`` are matched as whole words in display names and link texts (after folding: lower
case, no accents); its ``labels`` are the distinctive parts of its domains, matched inside other
domains (``paypal-secure-login.com``) and by edit distance (``paypa1.com``). A domain whose label
equals one of the brand's labels under any suffix (``amazon.de``) counts as the brand's own.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class BrandSpec:
    name: str
    domains: tuple[str, ...]  # registered domains the brand really uses
    names: tuple[str, ...] = ()  # words that name it in a display name or link text (folded)
    labels: tuple[str, ...] = ()  # distinctive domain labels; default: the first label of each domain


def _b(name: str, domains: str, names: str = "", labels: str = "") -> BrandSpec:
    return BrandSpec(
        name, tuple(domains.split()), tuple(n for n in names.split(",") if n), tuple(labels.split())
    )


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


#: The usual targets of credential phishing and brand-impersonation spam (2020s), a few per region.
PHISHING_TARGETS: tuple[BrandSpec, ...] = (
    _b(
        "Microsoft",
        "microsoft.com microsoftonline.com live.com outlook.com office.com office365.com sharepoint.com "
        "onedrive.com hotmail.com msn.com microsoft365.com azure.com windows.net skype.com bing.com "
        "msauth.net msftauth.net aka.ms",
        "microsoft,office 365,office365,microsoft 365,microsoft outlook,outlook support,outlook team,"
        "outlook web,onedrive,sharepoint,microsoft teams,hotmail",
        "microsoft microsoftonline office365 onedrive sharepoint hotmail microsoft365",
    ),
    _b(
        "Google",
        "google.com gmail.com googleusercontent.com googleapis.com youtube.com goo.gl forms.gle "
        "googlemail.com googlegroups.com withgoogle.com google.de google.co.uk google.com.br gstatic.com "
        "google-analytics.com googletagmanager.com googleadservices.com googlesyndication.com ggpht.com",
        "google,gmail,google docs,google drive,google wallet,google workspace",
        "google gmail googledocs googledrive",
    ),
    _b(
        "Apple",
        "apple.com icloud.com me.com mac.com itunes.com",
        "apple id,appleid,icloud,itunes,=apple,apple support",
        "icloud appleid itunes",
    ),
    _b("PayPal", "paypal.com paypal.me paypal-communication.com paypalobjects.com", "paypal", "paypal"),
    _b(
        "Amazon",
        "amazon.com amazon.de amazon.co.uk amazon.com.br amazon.fr amazon.es amazon.it amazonaws.com "
        "amazon.jobs primevideo.com amzn.to audible.com",
        "amazon,amazon prime,prime video",
        "amazon amzn",
    ),
    _b("Netflix", "netflix.com netflix.net", "netflix", "netflix"),
    _b("DocuSign", "docusign.com docusign.net", "docusign", "docusign"),
    _b("Dropbox", "dropbox.com dropboxmail.com", "dropbox", "dropbox"),
    _b(
        "Adobe",
        "adobe.com adobesign.com acrobat.com adobesystems.com",
        "adobe,adobe sign,acrobat",
        "adobe adobesign acrobat",
    ),
    _b("WeTransfer", "wetransfer.com we.tl", "wetransfer", "wetransfer"),
    _b("Zoom", "zoom.us zoom.com zoomgov.com", "zoom meeting,zoom video,=zoom", "zoom"),
    _b("LinkedIn", "linkedin.com lnkd.in licdn.com", "linkedin", "linkedin"),
    _b(
        "Facebook",
        "facebook.com fb.com facebookmail.com meta.com fb.me",
        "facebook,meta business,=meta,meta support",
        "facebook facebookmail",
    ),
    _b("Instagram", "instagram.com", "instagram", "instagram"),
    _b("WhatsApp", "whatsapp.com whatsapp.net", "whatsapp", "whatsapp"),
    _b("X (Twitter)", "twitter.com x.com t.co", "twitter", "twitter"),
    _b("Yahoo", "yahoo.com yahoo.de yahoo.co.uk yahoogroups.com ymail.com yahoo.net", "yahoo", "yahoo"),
    _b("AOL", "aol.com aol.de", "aol mail,=aol", ""),
    _b(
        "DHL",
        "dhl.com dhl.de dhl-news.com deutschepost.de dpdhl.com",
        "dhl,deutsche post",
        "dhl deutschepost",
    ),
    _b("FedEx", "fedex.com", "fedex", "fedex"),
    _b("UPS", "ups.com", "ups my choice,=ups,ups express", "ups"),
    _b("USPS", "usps.com usps.gov", "usps,postal service", "usps"),
    _b("Correios", "correios.com.br", "correios", "correios"),
    _b(
        "Mercado Livre",
        "mercadolivre.com.br mercadolibre.com mercadopago.com mercadopago.com.br",
        "mercado livre,mercado libre,mercado pago,mercadopago",
        "mercadolivre mercadolibre mercadopago",
    ),
    _b("Receita Federal", "gov.br receita.fazenda.gov.br", "receita federal,gov.br", "receitafederal"),
    _b("Banco do Brasil", "bb.com.br", "banco do brasil", "bancodobrasil"),
    _b("Itaú", "itau.com.br", "itau", "itau"),
    _b("Bradesco", "bradesco.com.br", "bradesco", "bradesco"),
    _b("Caixa", "caixa.gov.br", "caixa economica", "caixa"),
    _b("Nubank", "nubank.com.br nu.com.br", "nubank", "nubank"),
    _b("Santander", "santander.com santander.com.br santander.de santander.co.uk", "santander", "santander"),
    _b("Sparkasse", "sparkasse.de s-payment.com", "sparkasse", "sparkasse"),
    _b("Deutsche Bank", "deutsche-bank.de db.com", "deutsche bank", "deutschebank deutsche-bank"),
    _b("Commerzbank", "commerzbank.de commerzbank.com", "commerzbank", "commerzbank"),
    _b("Volksbank", "volksbank.de vr.de", "volksbank,raiffeisenbank", "volksbank"),
    _b("Postbank", "postbank.de", "postbank", "postbank"),
    _b("ING", "ing.de ing.com ing.nl", "ing-diba", "ingdiba"),
    _b("N26", "n26.com", "n26", "n26"),
    _b("Deutsche Bahn", "bahn.de deutschebahn.com db.de", "deutsche bahn,db fernverkehr", "deutschebahn"),
    _b("Telekom", "telekom.de t-online.de telekom.com", "telekom,t-online", "telekom t-online"),
    _b("Wells Fargo", "wellsfargo.com wf.com", "wells fargo", "wellsfargo"),
    _b("Chase", "chase.com jpmorgan.com jpmorganchase.com", "chase bank,jpmorgan,=chase", "jpmorgan"),
    _b("Bank of America", "bankofamerica.com bofa.com", "bank of america", "bankofamerica"),
    _b("Citibank", "citi.com citibank.com", "citibank", "citibank"),
    _b("American Express", "americanexpress.com aexp.com", "american express,amex", "americanexpress"),
    _b("Capital One", "capitalone.com", "capital one", "capitalone"),
    _b("IRS", "irs.gov", "internal revenue service", "irs"),
    _b("Social Security", "ssa.gov", "social security administration", ""),
    _b("Coinbase", "coinbase.com", "coinbase", "coinbase"),
    _b("Binance", "binance.com", "binance", "binance"),
    _b("MetaMask", "metamask.io consensys.io", "metamask", "metamask"),
    _b("Trust Wallet", "trustwallet.com", "trust wallet,trustwallet", "trustwallet"),
    _b("Ledger", "ledger.com", "ledger live,=ledger,ledger support,ledger wallet", "ledger"),
    _b("Crypto.com", "crypto.com", "crypto.com", ""),
    _b("Kraken", "kraken.com", "kraken exchange,=kraken", ""),
    _b("Norton", "norton.com nortonlifelock.com gen.com", "norton", "nortonlifelock"),
    _b("McAfee", "mcafee.com", "mcafee", "mcafee"),
    _b("Walmart", "walmart.com", "walmart", "walmart"),
    _b("Costco", "costco.com", "costco", "costco"),
    _b("Kohl's", "kohls.com", "kohls,kohl s", "kohls"),
    _b("Starbucks", "starbucks.com", "starbucks", "starbucks"),
    _b("AARP", "aarp.org", "aarp", "aarp"),
    _b("eBay", "ebay.com ebay.de ebay.co.uk", "ebay", "ebay"),
    _b("Steam", "steampowered.com steamcommunity.com", "steam support,=steam", "steampowered steamcommunity"),
    _b("Spotify", "spotify.com", "spotify", "spotify"),
    _b("Disney+", "disneyplus.com disney.com", "disney", "disneyplus"),
    _b("Booking.com", "booking.com", "booking.com", ""),
    _b("Airbnb", "airbnb.com", "airbnb", "airbnb"),
    _b("Verizon", "verizon.com verizonwireless.com", "verizon", "verizon"),
    _b("AT&T", "att.com att.net", "", ""),
    _b("Comcast", "comcast.com comcast.net xfinity.com", "xfinity,comcast", "xfinity comcast"),
    _b("Sam's Club", "samsclub.com", "sam s club,sams club", "samsclub"),
    _b("Target", "target.com", "target gift card,target rewards,=target", ""),
    _b("Home Depot", "homedepot.com", "home depot", "homedepot"),
    _b("Lowe's", "lowes.com", "lowe s,lowes", ""),
    _b("Best Buy", "bestbuy.com", "best buy", "bestbuy"),
    _b("Lidl", "lidl.com lidl.de lidl.fr lidl.nl lidl.co.uk", "lidl", "lidl"),
    _b("Aldi", "aldi.com aldi-sued.de aldi-nord.de aldi.us aldi.co.uk", "aldi", "aldi"),
    _b("Otto", "otto.de", "otto versand,=otto", ""),
    _b("Zalando", "zalando.de zalando.com zalando.nl zalando.fr", "zalando", "zalando"),
    _b("Tchibo", "tchibo.de", "tchibo", "tchibo"),
    _b("Albert Heijn", "ah.nl albertheijn.nl", "albert heijn", "albertheijn"),
    _b("Kaufland", "kaufland.de", "kaufland", "kaufland"),
    _b("MediaMarkt", "mediamarkt.de mediamarkt.nl", "mediamarkt,media markt", "mediamarkt"),
    _b("Shein", "shein.com", "shein", "shein"),
    _b("Temu", "temu.com", "temu", "temu"),
    _b("AliExpress", "aliexpress.com alibaba.com", "aliexpress", "aliexpress"),
    _b("DPD", "dpd.com dpd.de dpd.co.uk", "dpd", ""),
    _b("Hermes", "myhermes.de hermesworld.com evri.com", "hermes paket,evri", "myhermes"),
    _b("GLS", "gls-group.eu gls-group.com", "gls paket", "gls-group"),
    _b("PostNL", "postnl.nl", "postnl", "postnl"),
    _b("La Poste", "laposte.fr laposte.net", "la poste,colissimo", "colissimo"),
    _b("Chronopost", "chronopost.fr", "chronopost", "chronopost"),
    _b("Royal Mail", "royalmail.com", "royal mail", "royalmail"),
    _b("Canada Post", "canadapost.ca canadapost-postescanada.ca", "canada post", "canadapost"),
    _b("CTT", "ctt.pt", "ctt expresso", ""),
    _b("HMRC", "gov.uk", "hmrc", "hmrc"),
    _b("Detran", "detran.sp.gov.br gov.br", "detran", "detran"),
    _b("HSBC", "hsbc.com hsbc.co.uk", "hsbc", "hsbc"),
    _b("Barclays", "barclays.co.uk barclays.com", "barclays", "barclays"),
    _b("Lloyds", "lloydsbank.co.uk lloydsbank.com", "lloyds bank", "lloydsbank"),
    _b("NatWest", "natwest.com", "natwest", "natwest"),
    _b("ABN AMRO", "abnamro.nl abnamro.com", "abn amro", "abnamro"),
    _b("Rabobank", "rabobank.nl rabobank.com", "rabobank", "rabobank"),
    _b("BNP Paribas", "bnpparibas.com mabanque.bnpparibas", "bnp paribas", "bnpparibas"),
    _b("Crédit Agricole", "credit-agricole.fr credit-agricole.com", "credit agricole", "creditagricole"),
    _b("Millennium BCP", "millenniumbcp.pt", "millennium bcp", "millenniumbcp"),
    _b("Revolut", "revolut.com", "revolut", "revolut"),
    _b("Wise", "wise.com transferwise.com", "transferwise,=wise", "transferwise"),
    _b("Venmo", "venmo.com", "venmo", "venmo"),
    _b("Cash App", "cash.app squareup.com", "cash app,cashapp", "cashapp"),
    _b("Zelle", "zellepay.com", "zelle", "zellepay"),
    _b("Ripple", "ripple.com xrpl.org", "=ripple,xrp,ripple team,ripple foundation", ""),
    _b("Gemini", "gemini.com", "gemini exchange,gemini support,=gemini,gemini service", ""),
    _b("Lido", "lido.fi", "lido finance,=lido,lido notifications", ""),
    _b("Uniswap", "uniswap.org", "uniswap", "uniswap"),
    _b("OpenSea", "opensea.io", "opensea", "opensea"),
    _b("Phantom", "phantom.app", "phantom wallet,=phantom", ""),
    _b("Trezor", "trezor.io", "trezor", "trezor"),
    _b("Exodus", "exodus.com", "exodus wallet,=exodus", ""),
    _b("Blockchain.com", "blockchain.com", "blockchain com", ""),
    _b("Avast", "avast.com", "avast", "avast"),
    _b("Kaspersky", "kaspersky.com", "kaspersky", "kaspersky"),
    _b("Total AV", "totalav.com", "total av,totalav", "totalav"),
    _b("Roblox", "roblox.com", "roblox", "roblox"),
    _b("TikTok", "tiktok.com", "tiktok", "tiktok"),
    _b("Telegram", "telegram.org t.me", "=telegram,telegram support", ""),
    _b("Vodafone", "vodafone.de vodafone.com vodafone.co.uk vodafone.pt", "vodafone", "vodafone"),
    _b("Orange", "orange.fr orange.com", "orange mobile,orange money,=orange", ""),
    _b("T-Mobile", "t-mobile.com t-mobile.de", "t-mobile,t mobile", ""),
    _b("Stripe", "stripe.com", "=stripe,stripe support", ""),
    _b(
        "Intuit",
        "intuit.com quickbooks.com turbotax.com",
        "quickbooks,turbotax,intuit",
        "quickbooks turbotax",
    ),
    _b("GitHub", "github.com githubusercontent.com", "github", "github"),
    _b("ADAC", "adac.de", "adac", "adac"),
    _b("Stellar", "stellar.org", "stellar org,stellar foundation,stellar lumens", ""),
    _b("Arbitrum", "arbitrum.io arbitrum.foundation", "arbitrum", "arbitrum"),
    _b("Solana", "solana.com", "solana foundation,=solana", ""),
    _b("Ethereum", "ethereum.org", "ethereum foundation", ""),
    _b("Polygon", "polygon.technology", "polygon labs", ""),
    _b("Netto", "netto-online.de netto.de", "=netto", ""),
    _b("Mastercard", "mastercard.com", "mastercard", "mastercard"),
    _b("Visa", "visa.com", "visa card,=visa", ""),
    _b("Okta", "okta.com oktacdn.com", "okta", "okta"),
    _b("Webex", "webex.com cisco.com", "webex", "webex"),
)

#: Free mail providers: anyone can have an address there.
FREEMAIL: frozenset[str] = _set(
    """
    gmail.com googlemail.com yahoo.com yahoo.co.uk yahoo.de yahoo.fr yahoo.com.br ymail.com hotmail.com
    hotmail.co.uk hotmail.de hotmail.fr outlook.com outlook.de live.com live.de msn.com aol.com aol.de
    icloud.com me.com mac.com gmx.de gmx.net gmx.com web.de t-online.de freenet.de protonmail.com
    proton.me pm.me mail.ru yandex.ru yandex.com zoho.com zohomail.com mail.com tutanota.com tuta.io
    bol.com.br uol.com.br terra.com.br ig.com.br qq.com 163.com 126.com sina.com naver.com
    rediffmail.com libero.it orange.fr laposte.net free.fr wanadoo.fr seznam.cz wp.pl o2.pl interia.pl
    """
)

#: URL shorteners: the real target is hidden until the link is followed.
SHORTENERS: frozenset[str] = _set(
    """
    bit.ly bitly.com tinyurl.com t.ly is.gd v.gd ow.ly buff.ly rebrand.ly cutt.ly shorturl.at rb.gy
    tiny.cc s.id shorte.st adf.ly bl.ink short.io soo.gd clck.ru qr.net tr.im x.co lnkd.in t.co goo.gl
    u.to 2no.co urlz.fr shrtco.de gg.gg surl.li
    """
)

#: Where mailing services and mail filters route clicks: a link text naming another site is normal there.
CLICK_TRACKERS: frozenset[str] = _set(
    """
    list-manage.com mcsv.net mailchimp.com mailchi.mp mandrillapp.com sendgrid.net sendgrid.com rs6.net
    constantcontact.com createsend.com cmail1.com cmail2.com cmail19.com cmail20.com exacttarget.com
    sailthru.com klaviyo.com klclick.com klclick1.com hubspotlinks.com hs-sites.com hubspot.com
    mailgun.org mailgun.net sparkpostmail.com awstrack.me mktoedge.com mkt.com mjt.lu sendinblue.com
    brevo.com sibautomation.com substack.com convertkit-mail.com ck.page beehiiv.com urldefense.com
    urldefense.proofpoint.com safelinks.protection.outlook.com mimecast.com mimecastprotect.com
    doubleclick.net campaign-archive.com e2ma.net myemma.com icptrack.com emltrk.com bnc.lt app.link
    """
)

#: Services where anyone can host a page or a form for free; sign-in pages there are a classic.
FREE_HOSTING: frozenset[str] = _set(
    """
    firebaseapp.com web.app weebly.com wixsite.com godaddysites.com 000webhostapp.com netlify.app
    vercel.app pages.dev workers.dev r2.dev glitch.me herokuapp.com azurewebsites.net
    blob.core.windows.net web.core.windows.net storage.googleapis.com appspot.com sites.google.com
    forms.gle typeform.com jotform.com formstack.com ipfs.io dweb.link cloudflare-ipfs.com ngrok.io
    ngrok-free.app trycloudflare.com square.site mystrikingly.com webflow.io framer.app notion.site
    canva.site surge.sh replit.app onrender.com fly.dev
    """
)

#: Top-level domains with the highest share of abuse in public abuse statistics (Spamhaus, Interisle).
RISKY_TLDS: frozenset[str] = _set(
    """
    top xyz click shop cfd sbs icu cyou buzz rest bond monster live online site store fun space website
    tk ml ga cf gq work loan win bid men gdn review date stream download racing accountant science party
    trade webcam zip mov lol quest beauty hair makeup skin autos boats yachts lat mom
    """
)
