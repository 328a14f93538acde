<?xml version="1.0" encoding="UTF-8"?>
<!-- The page shell shared by every page: head, banner with site navigation, main, footer. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:c="urn:x-tei-edition:classes"
  xmlns:map="http://www.w3.org/2005/xpath-functions/map"
  exclude-result-prefixes="#all">

  <!-- edition.xml (when the edition has one), parsed safely by the toolkit -->
  <xsl:param name="edition-file" as="document-node()?" select="()"/>

  <!-- the edition's title (f:edition-title: edition.xml's title, else the configured one) -->
  <xsl:variable name="f:site-title" as="xs:string" select="f:edition-title($edition-file, $edition-context)"/>

  <!-- the language of the site's own words: [edition] language (the context's edition/@lang),
       as f:lang writes it; "en" when it names none -->
  <xsl:variable name="f:site-lang" as="xs:string" select="(f:lang($edition-context/edition/@lang), 'en')[1]"/>
  <!-- the direction of the site's language (xslt/lib/script.xsl) -->
  <xsl:variable name="f:site-dir" as="xs:string" select="(f:lang-dir($f:site-lang), 'ltr')[1]"/>

  <xsl:variable name="fp:nav" as="element(item)*">
    <item key="documents" href="documents.html">nav.documents</item>
    <item key="persons" href="persons.html">nav.persons</item>
    <item key="places" href="places.html">nav.places</item>
    <item key="orgs" href="orgs.html">nav.orgs</item>
    <item key="map" href="map.html">nav.map</item>
    <item key="chronology" href="chronology.html">nav.chronology</item>
    <item key="search" href="search.html">nav.search</item>
    <item key="principles" href="principles.html">nav.principles</item>
  </xsl:variable>

  <!-- The absolute address of a page of the site ([html] base_url + its path; the home page is
       the base itself); () without a base_url. -->
  <xsl:function name="f:permalink" as="xs:string?">
    <xsl:param name="path" as="xs:string?"/>
    <xsl:variable name="base" select="string($edition-context/edition/@base-url)"/>
    <xsl:sequence select="if ($base = '' or empty($path)) then () else if ($path = 'index.html') then $base else concat($base, $path)"/>
  </xsl:function>

  <xsl:function name="fp:ucfirst" as="xs:string">
    <xsl:param name="s" as="xs:string?"/>
    <xsl:variable name="t" select="normalize-space($s)"/>
    <xsl:sequence select="concat(upper-case(substring($t, 1, 1)), substring($t, 2))"/>
  </xsl:function>

  <!-- ==== #14 finding: the search index's filters and sort key of a page ==================
       Empty elements whose attributes give the values (Pagefind's "key[attribute]" form), so no
       label enters the index: type, year, transcription status, language of the text, the
       persons, places and organisations named; the date (ISO) as the sort key. -->
  <xsl:template name="f:search-facets">
    <xsl:param name="type" as="xs:string" select="f:msg('kind.document')"/>
    <xsl:param name="doc" as="element()?" select="()"/>
    <xsl:param name="lang" as="xs:string?" select="()"/>
    <xsl:param name="entities" as="element()*" select="()"/>
    <span class="search-facets" hidden="hidden">
      <span data-pagefind-filter="type[data-value]" data-value="{$type}"></span>
      <xsl:variable name="when" select="string($doc/@when)"/>
      <xsl:if test="matches($when, '^\d{4}')">
        <span data-pagefind-filter="year[data-value]" data-value="{substring($when, 1, 4)}"></span>
        <span data-pagefind-sort="date[data-value]" data-pagefind-meta="when[data-value]" data-value="{$when}"></span>
      </xsl:if>
      <xsl:if test="normalize-space($doc/@type)">
        <span data-pagefind-filter="doctype[data-value]" data-value="{$doc/@type}"></span>
      </xsl:if>
      <xsl:if test="$doc/@transcribed">
        <span data-pagefind-filter="text[data-value]" data-value="{if ($doc/@transcribed = 'true') then f:msg('status.full') else f:msg('status.summary')}"></span>
      </xsl:if>
      <xsl:if test="$lang">
        <span data-pagefind-filter="language[data-value]" data-value="{fp:language-label($lang)}"></span>
      </xsl:if>
      <xsl:for-each select="$entities[@kind = ('person', 'place', 'org')]">
        <xsl:sort select="@sort"/>
        <span data-pagefind-filter="{@kind}[data-value]" data-value="{name[@type = 'preferred']}"></span>
      </xsl:for-each>
    </span>
  </xsl:template>

  <!-- a language tag's English name ("ru" → "Russian"), else the tag -->
  <xsl:function name="fp:language-label" as="xs:string">
    <xsl:param name="tag" as="xs:string"/>
    <xsl:variable name="primary" select="tokenize($tag, '-')[1]"/>
    <xsl:sequence select="if (map:contains($c:language-names, $primary)) then f:language-name($primary) else $tag"/>
  </xsl:function>
  <!-- ==== end #14 finding ================================================================ -->

  <xsl:template name="f:page">
    <xsl:param name="title" as="xs:string"/>
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:param name="section" as="xs:string" select="''"/>
    <xsl:param name="page-class" as="xs:string" select="''"/>
    <xsl:param name="content" as="node()*"/>
    <!-- #14: the page's address below the site root (site pages: their page/@href) and what the
         page adds to <head> (a document's metadata for reference managers) -->
    <xsl:param name="path" as="xs:string?" select="if (. instance of element(page)) then string(@href) else ()"/>
    <xsl:param name="head" as="node()*" select="()"/>
    <html lang="{$f:site-lang}">
      <xsl:if test="$f:site-dir = 'rtl'"><xsl:attribute name="dir" select="'rtl'"/></xsl:if>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="if ($title = $f:site-title) then $title else concat($title, ' · ', $f:site-title)"/></title>
        <link rel="icon" href="{$root}assets/favicon.svg" type="image/svg+xml"/>
        <link rel="stylesheet" href="{$root}assets/edition.css"/>
        <xsl:call-template name="f:custom-head"><xsl:with-param name="root" select="$root"/></xsl:call-template>
        <script src="{$root}assets/edition.js" defer="defer"></script>
        <xsl:if test="exists($path) and f:permalink($path)">
          <link rel="canonical" href="{f:permalink($path)}"/>
        </xsl:if>
        <xsl:sequence select="$head"/>
      </head>
      <body class="{normalize-space(concat('page ', $page-class))}" data-view="reading" data-root="{$root}">
        <a class="skip-link" href="#main"><xsl:value-of select="f:msg('layout.skip')"/></a>
        <header class="site-header">
          <p class="site-title"><a href="{$root}index.html"><xsl:call-template name="f:site-logo"><xsl:with-param name="root" select="$root"/></xsl:call-template><xsl:value-of select="$f:site-title"/></a></p>
          <nav class="site-nav" aria-label="{f:msg('layout.site-nav')}">
            <ul>
              <xsl:for-each select="$fp:nav, $fp:custom-nav">
                <li>
                  <a href="{$root}{@href}">
                    <xsl:if test="@key = $section"><xsl:attribute name="aria-current" select="'page'"/></xsl:if>
                    <xsl:value-of select="f:msg(.)"/>
                  </a>
                </li>
              </xsl:for-each>
            </ul>
          </nav>
          <xsl:call-template name="f:custom-header"><xsl:with-param name="root" select="$root"/></xsl:call-template>
        </header>
        <main id="main" tabindex="-1">
          <xsl:sequence select="$content"/>
          <!-- every aria-describedby of an entity link names a popover on this page: those the
               page has not made itself (site pages, a name in a header) are made here -->
          <xsl:variable name="have" select="$content/descendant-or-self::*[@role = 'tooltip']/@id"/>
          <xsl:variable name="missing" as="element(entity)*">
            <xsl:for-each-group select="$content/descendant-or-self::*[@data-entity][@aria-describedby][not(@aria-describedby = $have)]"
              group-by="@aria-describedby">
              <xsl:sequence select="if (empty($edition-context)) then () else (key('fp:entity-by-id', string(@data-entity), $edition-context)
                [f:popover-id(.) = current-grouping-key()])[1]"/>
            </xsl:for-each-group>
          </xsl:variable>
          <xsl:call-template name="f:popovers">
            <xsl:with-param name="entities" select="$missing"/>
          </xsl:call-template>
        </main>
        <!-- #16: the scripts' words (an attribute: no page text, not in the search index) -->
        <div id="edition-messages" hidden="hidden" data-messages="{$f:script-messages}"></div>
        <!-- #14: the whole licence, no developer notes -->
        <footer class="site-footer">
          <p><xsl:value-of select="$f:site-title"/>.
            <xsl:for-each select="($edition-file//tei:licence)[1]">
              <xsl:text> </xsl:text>
              <xsl:value-of select="normalize-space(.)"/>
              <xsl:if test="f:safe-url(@target)"><xsl:text> </xsl:text><a href="{f:safe-url(@target)}" rel="license"><xsl:value-of select="f:msg('layout.licence')"/></a>.</xsl:if>
            </xsl:for-each>
          </p>
          <p><a href="{$root}principles.html"><xsl:value-of select="f:msg('nav.principles')"/></a> · <a href="{$root}index.html#cite-heading"><xsl:value-of select="f:msg('home.cite')"/></a></p>
          <xsl:call-template name="f:custom-footer"><xsl:with-param name="root" select="$root"/></xsl:call-template>
        </footer>
      </body>
    </html>
  </xsl:template>

  <!-- ==== #16 customisation: what edition.toml's [html] css, logo, header, footer and pages add
       (toolkit/outputs/custom.py; docs/customizing.md). $fp:custom is the toolkit's, set by the
       layer it compiles over this stylesheet; the named templates are public (docs/xslt-api.md):
       a customisation layer may override them. ========================================== -->
  <xsl:variable name="fp:custom" as="document-node()?" select="()"/>

  <!-- the navigation items of the edition's own pages, after the site's -->
  <xsl:variable name="fp:custom-nav" as="element(item)*">
    <xsl:for-each select="$fp:custom/custom/nav">
      <item key="{substring-before(@href, '.html')}" href="{@href}"><xsl:value-of select="."/></item>
    </xsl:for-each>
  </xsl:variable>

  <!-- public: the links in <head> after the toolkit's style sheet: [html] css, in order -->
  <xsl:template name="f:custom-head">
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:for-each select="$fp:custom/custom/css">
      <link rel="stylesheet" href="{$root}{@href}"/>
    </xsl:for-each>
  </xsl:template>

  <!-- public: the logo before the site's title in the banner ([html] logo; alt="": the title
       follows it in the same link) -->
  <xsl:template name="f:site-logo">
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:for-each select="$fp:custom/custom/logo">
      <img class="site-logo" src="{$root}{@href}" alt=""/>
    </xsl:for-each>
  </xsl:template>

  <!-- public: [html] header, at the end of the banner -->
  <xsl:template name="f:custom-header">
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:for-each select="$fp:custom/custom/header">
      <div class="site-header-custom">
        <xsl:apply-templates select="node()" mode="fp:fragment"><xsl:with-param name="root" select="$root" tunnel="yes"/></xsl:apply-templates>
      </div>
    </xsl:for-each>
  </xsl:template>

  <!-- public: [html] footer, at the end of the footer -->
  <xsl:template name="f:custom-footer">
    <xsl:param name="root" as="xs:string" select="''"/>
    <xsl:for-each select="$fp:custom/custom/footer">
      <div class="site-footer-custom">
        <xsl:apply-templates select="node()" mode="fp:fragment"><xsl:with-param name="root" select="$root" tunnel="yes"/></xsl:apply-templates>
      </div>
    </xsl:for-each>
  </xsl:template>

  <!-- a fragment's nodes as they are, its relative addresses made relative to the page (they
       are written relative to the site's root) -->
  <xsl:mode name="fp:fragment" on-no-match="shallow-copy"/>
  <xsl:template match="@href | @src | @poster | @data" mode="fp:fragment">
    <xsl:param name="root" as="xs:string" tunnel="yes" select="''"/>
    <xsl:attribute name="{name()}" select="fp:from-root(., $root)"/>
  </xsl:template>
  <!-- srcset: each candidate's address ("a.jpg 1x, b.jpg 2x") -->
  <xsl:template match="@srcset" mode="fp:fragment">
    <xsl:param name="root" as="xs:string" tunnel="yes" select="''"/>
    <xsl:attribute name="srcset" select="string-join(
      for $c in tokenize(., ',')[normalize-space()] ! normalize-space()
      return string-join((fp:from-root(substring-before($c || ' ', ' '), $root), substring-after($c, ' ')[. != '']), ' '),
      ', ')"/>
  </xsl:template>
  <xsl:function name="fp:from-root" as="xs:string">
    <xsl:param name="address" as="xs:string"/>
    <xsl:param name="root" as="xs:string"/>
    <xsl:sequence select="if (matches($address, '^([A-Za-z][A-Za-z0-9+.-]*:|/|#|\?)') or $address = '') then $address
      else concat($root, $address)"/>
  </xsl:function>
  <!-- ==== end #16 customisation ============================================================ -->
</xsl:stylesheet>
