<?xml version="1.0" encoding="UTF-8"?>
<!--
  Driver: one TEI document → its HTML page (doc/<id>.html).
  Parameters: $edition-context (the edition model; documents carry @page and @source, entities
  @page), $edition-file (edition.xml), $root (relative prefix to the site root).
-->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  xmlns:c="urn:x-tei-edition:classes"
  exclude-result-prefixes="#all">

  <xsl:import href="text.xsl"/>
  <xsl:import href="layout.xsl"/>
  <xsl:import href="pages/document-info.xsl"/>
  <xsl:import href="pages/collection.xsl"/>
  <xsl:include href="pages/msdesc.xsl"/>
  <xsl:include href="pages/citation.xsl"/>
  <xsl:include href="facsimile.xsl"/>

  <xsl:output method="html" html-version="5" encoding="UTF-8" indent="no" include-content-type="no"/>
  <xsl:mode use-accumulators="#all"/>
  <xsl:mode name="m:text" use-accumulators="#all"/>

  <xsl:template match="/">
    <xsl:variable name="tei" select="(/tei:TEI, /tei:teiCorpus, /*)[1]"/>
    <xsl:variable name="doc" select="f:document($tei)"/>
    <xsl:variable name="header" select="($tei/tei:teiHeader, $tei/tei:TEI/tei:teiHeader)[1]"/>
    <!-- the title element, rendered in the heading; the title as text is the model's (the context's
         document/@title: page title, search title, citation), never recomputed here -->
    <xsl:variable name="title-el" select="f:title-element($header)"/>
    <xsl:variable name="title" select="($doc/@title, string($tei/@xml:id), f:msg('doc.untitled-document'))[normalize-space()][1]"/>
    <xsl:variable name="texts" select="$tei//tei:text[not(ancestor::tei:text)]"/>
    <!-- embedded transcriptions (sourceDoc; or the root itself when it is a sourceDoc or surface):
         text/sourcedoc.xsl, in a section of their own -->
    <xsl:variable name="transcriptions" select="f:transcriptions($tei)"/>
    <xsl:variable name="abstract" select="$header/tei:profileDesc/tei:abstract[normalize-space()]"/>
    <!-- the switch is offered when anything shown in two readings is on the page: the text, the
         title or the summary -->
    <xsl:variable name="has-views" select="exists(($texts, $transcriptions, $title-el, $abstract)//(tei:choice | tei:del | tei:lb | tei:surplus))"/>
    <!-- the text's language: its own, the document's, else the header's first langUsage language -->
    <!-- the first of them HTML can use ("und" or "xx" falls through to the next) -->
    <xsl:variable name="lang" select="(for $l in ($texts[1]/@xml:lang, $tei/@xml:lang, $header/tei:profileDesc/tei:langUsage/tei:language/@ident) return f:lang($l))[1]"/>
    <!-- the text's direction: its language's, else its first letter's (xslt/lib/script.xsl) -->
    <xsl:variable name="dir" select="if (exists($lang)) then f:lang-dir($lang) else f:text-dir(substring(string($texts[1]), 1, 4000))"/>
    <xsl:variable name="backs" select="$texts/tei:back[normalize-space() or *]"/>
    <xsl:variable name="mentioned" as="element(entity)*">
      <xsl:for-each-group select="($header, $texts, $transcriptions)/descendant-or-self::*[@ref or @key]/f:entities-of(.)[@page]" group-by="@id">
        <xsl:sequence select="current-group()[1]"/>
      </xsl:for-each-group>
    </xsl:variable>
    <!-- the model's date and its label (toolkit/tei/facts.py, date_label), as the PDF and every
         listing show it -->
    <xsl:variable name="when" select="string($doc/@when)"/>
    <xsl:variable name="date-label" select="string($doc/date)"/>
    <!-- the citation's fields (pages/citation.xsl), from the context -->
    <xsl:variable name="cite" select="if (exists($doc)) then fp:citation($doc, $lang) else ()"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$title"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'documents'"/>
      <xsl:with-param name="page-class" select="'page-document'"/>
      <xsl:with-param name="path" select="string($doc/@page)[. != '']"/>
      <xsl:with-param name="head">
        <xsl:if test="exists($cite)">
          <xsl:call-template name="f:citation-meta"><xsl:with-param name="cite" select="$cite"/></xsl:call-template>
        </xsl:if>
      </xsl:with-param>
      <xsl:with-param name="content">
        <article class="document" id="{fp:article-id(string(($doc/@id, $tei/@xml:id, 'document')[1]))}">
          <!-- the search index holds the title, the summary and the text only (data-pagefind-body
               on each: #14), never labels, tools, information or citation -->
          <header class="doc-header" data-pagefind-body="">
            <!-- the search result's title: the reading view's plain title, the page's <title> (the h1
                 holds both readings) -->
            <h1 id="title" data-pagefind-meta="title[data-title]" data-title="{$title}">
              <!-- the title's language (its own, the header's, else the text's) when it is not the
                   site's (the letters' German titles) -->
              <xsl:variable name="title-lang" select="(for $l in ($title-el/@xml:lang, $header/@xml:lang, $lang) return f:lang($l))[1]"/>
              <xsl:if test="exists($title-el) and $title-lang and $title-lang != $f:site-lang">
                <xsl:attribute name="lang" select="$title-lang"/>
              </xsl:if>
              <xsl:if test="exists($title-el) and (f:lang-dir($title-lang), $f:site-dir)[1] != $f:site-dir">
                <xsl:attribute name="dir" select="f:lang-dir($title-lang)"/>
              </xsl:if>
              <xsl:choose>
                <xsl:when test="exists($title-el)">
                  <!-- no links in the heading (#14): its names are text, as in a link -->
                  <xsl:apply-templates select="$title-el/node()" mode="m:text">
                    <xsl:with-param name="inline" tunnel="yes" select="true()"/>
                    <xsl:with-param name="in-link" tunnel="yes" select="true()"/>
                  </xsl:apply-templates>
                </xsl:when>
                <xsl:otherwise><xsl:value-of select="$title"/></xsl:otherwise>
              </xsl:choose>
            </h1>
            <xsl:if test="normalize-space($date-label)">
              <p class="doc-date" data-pagefind-ignore="">
                <xsl:choose>
                  <xsl:when test="$when castable as xs:date or $when castable as xs:gYearMonth or $when castable as xs:gYear">
                    <time datetime="{$when}" data-pagefind-meta="date"><xsl:value-of select="$date-label"/></time>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="$date-label"/></xsl:otherwise>
                </xsl:choose>
              </p>
            </xsl:if>
            <xsl:call-template name="f:search-facets">
              <xsl:with-param name="doc" select="$doc"/>
              <xsl:with-param name="lang" select="$lang"/>
              <xsl:with-param name="entities" select="$mentioned"/>
            </xsl:call-template>
            <ul class="doc-tools" data-pagefind-ignore="">
              <xsl:if test="$doc/@source">
                <li><a href="{$root}{$doc/@source}" download="" type="application/xml"><xsl:value-of select="f:msg('doc.download-tei')"/></a></li>
              </xsl:if>
              <!-- its PDF ([html] pdf_url: edition build pdf writes it under the page's name) -->
              <xsl:for-each select="fp:pdf-href($doc/@pdf, $root)">
                <li><a href="{.}" type="application/pdf">PDF</a></li>
              </xsl:for-each>
              <li><a href="#citation"><xsl:value-of select="f:msg('cite.heading')"/></a></li>
              <li><a href="#doc-info"><xsl:value-of select="f:msg('info.heading')"/></a></li>
            </ul>
          </header>

          <xsl:if test="exists($abstract)">
            <section class="summary" id="summary" aria-labelledby="summary-heading" data-pagefind-body="">
              <h2 id="summary-heading" data-pagefind-ignore=""><xsl:value-of select="f:msg('doc.summary')"/></h2>
              <xsl:apply-templates select="$abstract[1]/node()" mode="m:text"/>
            </section>
          </xsl:if>

          <!-- a table of contents when the text has three or more headed top-level divisions -->
          <xsl:variable name="toc" select="fp:toc-divisions($texts)"/>
          <xsl:if test="count($toc[tei:head[normalize-space()]]) + count($toc[not(tei:head[normalize-space()])]/fp:headed-divisions(.)) ge 3">
            <nav class="toc" aria-labelledby="toc-heading" data-pagefind-ignore="">
              <h2 id="toc-heading"><xsl:value-of select="f:msg('doc.contents')"/></h2>
              <ol>
                <xsl:for-each select="$toc">
                  <xsl:variable name="subs" select="fp:headed-divisions(.)"/>
                  <li>
                    <xsl:choose>
                      <!-- a division without a head that groups headed ones (ELTeC's volumes:
                           div type="group"): a label, its divisions below it -->
                      <xsl:when test="not(tei:head[normalize-space()])">
                        <span class="toc-group"><xsl:value-of select="fp:group-label(., $toc)"/></span>
                      </xsl:when>
                      <xsl:otherwise><xsl:call-template name="fp:toc-link"/></xsl:otherwise>
                    </xsl:choose>
                    <xsl:if test="exists($subs)">
                      <ol>
                        <xsl:for-each select="$subs"><li><xsl:call-template name="fp:toc-link"/></li></xsl:for-each>
                      </ol>
                    </xsl:if>
                  </li>
                </xsl:for-each>
              </ol>
            </nav>
          </xsl:if>

          <xsl:call-template name="f:facsimile-viewer"><xsl:with-param name="doc" select="$doc"/></xsl:call-template>
          <xsl:if test="exists($texts) or empty($transcriptions)">
          <section class="text-section" aria-labelledby="text-heading" data-pagefind-body="">
            <div class="text-heading-row" data-pagefind-ignore="">
              <h2 id="text-heading"><xsl:value-of select="f:msg('doc.text')"/></h2>
              <xsl:call-template name="fp:name-switch">
                <!-- the kinds of the entities the page names (no second pass over the text) -->
                <xsl:with-param name="kinds" select="distinct-values($mentioned/@kind)"/>
              </xsl:call-template>
              <xsl:if test="$has-views">
                <div class="view-switch" role="group" aria-label="{f:msg('doc.view')}" hidden="hidden" data-pagefind-ignore="">
                  <button type="button" data-set-view="reading" aria-pressed="true"><xsl:value-of select="f:msg('doc.view-reading')"/></button>
                  <button type="button" data-set-view="diplomatic" aria-pressed="false"><xsl:value-of select="f:msg('doc.view-diplomatic')"/></button>
                </div>
              </xsl:if>
            </div>
            <xsl:call-template name="fp:intervention-legend">
              <xsl:with-param name="has-views" select="$has-views"/>
              <xsl:with-param name="interventions" select="fp:interventions(($title-el, $abstract[1], $texts, $transcriptions))"/>
            </xsl:call-template>
            <div class="text">
              <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
              <xsl:if test="exists($dir) and $dir != $f:site-dir"><xsl:attribute name="dir" select="$dir"/></xsl:if>
              <xsl:apply-templates select="$texts" mode="m:text"/>
            </div>
          </section>
          </xsl:if>

          <xsl:if test="exists($transcriptions)">
            <section class="transcription-section" aria-labelledby="transcription-heading" data-pagefind-body="">
              <h2 id="transcription-heading" data-pagefind-ignore=""><xsl:value-of select="f:msg('doc.transcription')"/></h2>
              <div class="text transcription">
                <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
                <xsl:apply-templates select="$transcriptions" mode="m:text"/>
              </div>
            </section>
          </xsl:if>

          <!-- the text's back (lists of names, appendices): after the text, not inside it -->
          <xsl:if test="exists($backs)">
            <section class="back-section" aria-labelledby="back-heading" data-pagefind-body="">
              <h2 id="back-heading" data-pagefind-ignore=""><xsl:value-of select="f:msg('doc.back')"/></h2>
              <div class="text back-matter">
                <xsl:if test="$lang"><xsl:attribute name="lang" select="$lang"/></xsl:if>
                <xsl:if test="exists($dir) and $dir != $f:site-dir"><xsl:attribute name="dir" select="$dir"/></xsl:if>
              <xsl:if test="exists($dir) and $dir != $f:site-dir"><xsl:attribute name="dir" select="$dir"/></xsl:if>
                <xsl:apply-templates select="$backs" mode="m:text">
                  <xsl:with-param name="back-matter" tunnel="yes" select="true()"/>
                </xsl:apply-templates>
              </div>
            </section>
          </xsl:if>

          <xsl:call-template name="f:ms-descriptions">
            <xsl:with-param name="header" select="$header"/>
          </xsl:call-template>

          <xsl:call-template name="f:note-list">
            <xsl:with-param name="notes" select="$texts//tei:note[not(f:is-marginal(.))][not(ancestor::tei:msDesc or f:in-back-register(.))]"/>
          </xsl:call-template>

          <xsl:call-template name="f:witness-list">
            <xsl:with-param name="witnesses" select="root($tei)//tei:witness"/>
          </xsl:call-template>

          <xsl:call-template name="f:collection">
            <xsl:with-param name="doc" select="$doc"/>
          </xsl:call-template>

          <xsl:call-template name="f:document-info">
            <xsl:with-param name="header" select="$header"/>
            <xsl:with-param name="doc" select="$doc"/>
            <xsl:with-param name="tei" select="$tei"/>
          </xsl:call-template>

          <xsl:choose>
            <xsl:when test="exists($cite)">
              <xsl:call-template name="f:citation-section">
                <xsl:with-param name="cite" select="$cite"/>
                <xsl:with-param name="page" select="string($doc/@page)"/>
              </xsl:call-template>
            </xsl:when>
            <!-- a page made without an edition's context (no model facts): the title and id -->
            <xsl:otherwise>
              <section class="citation" id="citation" aria-labelledby="citation-heading" data-pagefind-ignore="">
                <h2 id="citation-heading"><xsl:value-of select="f:msg('cite.heading')"/></h2>
                <p class="cite-text">“<bdi><xsl:value-of select="$title"/></bdi>”. <xsl:value-of select="f:msg('cite.in')"/><xsl:text> </xsl:text><cite><xsl:value-of select="$f:site-title"/></cite>. <xsl:value-of select="f:msg('kind.document')"/><xsl:text> </xsl:text><code><xsl:value-of select="$tei/@xml:id"/></code>.</p>
              </section>
            </xsl:otherwise>
          </xsl:choose>
        </article>

        <xsl:if test="exists($doc)">
          <xsl:variable name="prev" select="$doc/preceding-sibling::document[1]"/>
          <xsl:variable name="next" select="$doc/following-sibling::document[1]"/>
          <nav class="prev-next" aria-label="{f:msg('doc.prev-next')}" data-pagefind-ignore="">
            <ul>
              <xsl:if test="$prev">
                <li class="prev"><a href="{$root}{$prev/@page}" rel="prev"><span class="pn-label"><xsl:value-of select="f:msg('doc.previous')"/><xsl:text> </xsl:text></span>
                  <xsl:for-each select="$prev/date[normalize-space()]"><bdi><xsl:value-of select="."/></bdi> — </xsl:for-each><bdi><xsl:value-of select="$prev/@title"/></bdi></a></li>
              </xsl:if>
              <xsl:if test="$next">
                <li class="next"><a href="{$root}{$next/@page}" rel="next"><span class="pn-label"><xsl:value-of select="f:msg('doc.next')"/><xsl:text> </xsl:text></span>
                  <xsl:for-each select="$next/date[normalize-space()]"><bdi><xsl:value-of select="."/></bdi> — </xsl:for-each><bdi><xsl:value-of select="$next/@title"/></bdi></a></li>
              </xsl:if>
            </ul>
          </nav>
        </xsl:if>

        <xsl:call-template name="f:popovers">
          <xsl:with-param name="entities" select="$mentioned"/>
        </xsl:call-template>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The key to the names' colours (the kinds the text names), and the switch that turns the
       highlighting off (edition.js: remembered; the names then look like the text and leave the
       tab order) — the switch only with JavaScript. -->
  <xsl:template name="fp:name-switch">
    <xsl:param name="kinds" as="xs:anyAtomicType*"/>
    <xsl:if test="exists($kinds)">
      <div class="name-switch" data-pagefind-ignore="">
        <span class="name-key"><xsl:value-of select="f:msg('doc.names')"/>
          <xsl:for-each select="('person', 'place', 'org')[. = $kinds]">
            <xsl:text> </xsl:text><span class="key-{.}"><xsl:value-of select="lower-case(f:kind-label(.))"/></span>
          </xsl:for-each>
        </span>
        <button type="button" class="names-toggle" aria-pressed="true" hidden="hidden"><xsl:value-of select="f:msg('doc.highlight-names')"/></button>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The interventions shown in the text (text/transcription.xsl, fp:intervention-attributes),
       in document order; not those inside notes. -->
  <xsl:function name="fp:interventions" as="element()*">
    <xsl:param name="parts" as="element()*"/>
    <!-- one pass over the descendants (a union of paths would scan each element's children
         once per path) -->
    <xsl:sequence select="$parts/descendant::*[
      if (parent::tei:choice) then (self::tei:reg or self::tei:corr or self::tei:expan)
      else (self::tei:sic or self::tei:corr or self::tei:reg or self::tei:expan or self::tei:orig or self::tei:abbr
        or self::tei:unclear or self::tei:ex or self::tei:add or self::tei:supplied
        or (self::tei:gap and not(parent::tei:body and f:document(.)/@transcribed = 'false')))]
      [fp:listed-intervention(.)]"/>
  </xsl:function>

  <!-- Under the text's heading: what the marks in the text mean (the kinds the text has), what
       the two views are (with the switch; without JavaScript both readings show, edition.css),
       and every intervention with its explanation, linked to it. Works without JavaScript. -->
  <xsl:template name="fp:intervention-legend">
    <xsl:param name="has-views" as="xs:boolean"/>
    <xsl:param name="interventions" as="element()*"/>
    <xsl:if test="$has-views or exists($interventions)">
      <div class="iv-legend" data-pagefind-ignore="">
        <xsl:if test="$has-views">
          <p class="view-help view-help-js"><xsl:value-of select="f:msg('doc.view-help')"/></p>
          <p class="view-help view-help-nojs"><xsl:value-of select="f:msg('doc.view-help-nojs')"/></p>
        </xsl:if>
        <xsl:if test="exists($interventions)">
          <p class="iv-key"><span class="iv-key-label"><xsl:value-of select="f:msg('iv.key')"/></span>
            <xsl:if test="$interventions[self::tei:reg or self::tei:corr or self::tei:expan or self::tei:orig or self::tei:abbr or self::tei:ex]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-changed"><xsl:value-of select="f:msg('iv.changed-mark')"/></span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.changed')"/></span></xsl:if>
            <xsl:if test="$interventions[self::tei:supplied]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-supplied"><xsl:value-of select="f:msg('iv.supplied-mark')"/></span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.supplied')"/></span></xsl:if>
            <xsl:if test="$interventions[self::tei:add]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-added"><xsl:value-of select="f:msg('iv.added-mark')"/></span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.added')"/></span></xsl:if>
            <xsl:if test="$interventions[self::tei:sic]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-sic">[sic]</span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.sic')"/></span></xsl:if>
            <xsl:if test="$interventions[self::tei:unclear]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-unclear"><xsl:value-of select="f:msg('iv.unclear-mark')"/></span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.unclear')"/></span></xsl:if>
            <xsl:if test="$interventions[self::tei:gap]">
              <xsl:text> </xsl:text><span class="iv-key-item"><span class="intervention iv-gap">[…]</span><xsl:text> </xsl:text><xsl:value-of select="f:msg('iv.gap')"/></span></xsl:if>
          </p>
          <details class="iv-details">
            <summary><xsl:value-of select="f:msg-n('iv.count', count($interventions))"/></summary>
            <ol class="iv-list">
              <xsl:for-each select="$interventions">
                <li id="ivn-{fp:node-key(.)}"><a href="#iv-{fp:node-key(.)}"><xsl:value-of select="(normalize-space(f:reading-text(.))[. != ''], '[…]')[1]"/></a>: <xsl:value-of select="f:intervention-note(.)"/></li>
              </xsl:for-each>
            </ol>
          </details>
        </xsl:if>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- The headed divisions (div, div1 … div7 with a head) among an element's children. -->
  <xsl:function name="fp:headed-divisions" as="element()*">
    <xsl:param name="e" as="element()"/>
    <xsl:sequence select="$e/*[self::tei:div or matches(local-name(), '^div[1-7]$')][tei:head[normalize-space()]]"/>
  </xsl:function>

  <!-- The top-level divisions of the texts for the table of contents: the headed divisions
       directly in front, body and back, or in a wrapper division of theirs (a single wrapper,
       or wrappers without a head: ELTeC's volumes, div type="group"). -->
  <xsl:function name="fp:toc-divisions" as="element()*">
    <xsl:param name="texts" as="element()*"/>
    <!-- per part of the text: its headed divisions; a lone wrapper without a head is looked
         through; several wrappers without heads (volumes) stay, as groups of their divisions -->
    <xsl:for-each select="$texts/(tei:front | tei:body | tei:back)">
      <xsl:variable name="divs" select="*[self::tei:div or self::tei:div1]"/>
      <xsl:sequence select="if (count($divs) = 1 and exists(fp:headed-divisions($divs))) then fp:headed-divisions($divs)
        else $divs[tei:head[normalize-space()] or exists(fp:headed-divisions(.))]"/>
    </xsl:for-each>
  </xsl:function>

  <!-- "Volume 2", "Part 1": a group's label from its @n, else its place among the groups. -->
  <xsl:function name="fp:group-label" as="xs:string">
    <xsl:param name="div" as="element()"/>
    <xsl:param name="toc" as="element()*"/>
    <xsl:variable name="kind" select="f:msg('toc.' || (lower-case(string($div/@type))[. = ('volume', 'book', 'part', 'chapter',
      'section')], 'part')[1])"/>
    <xsl:variable name="groups" select="$toc[not(tei:head[normalize-space()])]"/>
    <xsl:sequence select="concat($kind, ' ', (normalize-space($div/@n)[. != ''],
      string(count($groups[. &lt;&lt; $div]) + 1))[1])"/>
  </xsl:function>

  <!-- One entry: a link to the division (its id, else its head's) with the head's reading text. -->
  <xsl:template name="fp:toc-link">
    <xsl:variable name="target" select="(f:cite-id(.), f:cite-id(tei:head[normalize-space()][1]))[1]"/>
    <xsl:variable name="label" select="(f:reading-text(tei:head[normalize-space()][1])[normalize-space()], f:msg('doc.untitled'))[1]"/>
    <xsl:choose>
      <!-- the head's language and direction (the contents stand outside the text) -->
      <xsl:when test="exists($target)"><a href="#{encode-for-uri($target)}"><xsl:for-each select="tei:head[normalize-space()][1]"><xsl:call-template name="fp:context-lang-attributes"/></xsl:for-each><xsl:value-of select="$label"/></a></xsl:when>
      <xsl:otherwise><bdi><xsl:value-of select="$label"/></bdi></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- The article's id: the document's id as written (L02669 stays L02669) when it is a valid
       HTML id that no other element of the page uses, else a slug of it. -->
  <xsl:function name="fp:article-id" as="xs:string">
    <xsl:param name="id" as="xs:string"/>
    <xsl:sequence select="if (matches($id, '^[^\s]+$') and not(matches($id, '^[a-zA-Z]+-\d+(-ref)?$'))
      and not($id = $c:reserved-page-ids) and not(matches($id, '^(pop|wit|tei)-')))
      then $id else concat('document-', f:slug($id))"/>
  </xsl:function>

</xsl:stylesheet>
