<?xml version="1.0" encoding="UTF-8"?>
<!-- Home, chronology and search pages. -->
<xsl:stylesheet version="3.0"
  xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
  xmlns:xs="http://www.w3.org/2001/XMLSchema"
  xmlns:tei="http://www.tei-c.org/ns/1.0"
  xmlns:f="urn:x-tei-edition:functions"
  xmlns:fp="urn:x-tei-edition:private"
  xmlns:m="urn:x-tei-edition:modes"
  exclude-result-prefixes="#all">

  <!-- #14: the home page leads to the edition: what it is, where to start reading (the fully
       transcribed documents first), how to cite it, who made it; the editorial principles and
       the notes on the sources have a page of their own (principles.html). -->
  <xsl:template match="page[@kind = 'home']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="hdr" select="$edition-file/tei:TEI/tei:teiHeader"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="$f:site-title"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="page-class" select="'page-home reader-page'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="$f:site-title"/></h1>
        <xsl:for-each select="$hdr/tei:fileDesc/tei:titleStmt/tei:title[@type = 'sub']">
          <p class="subtitle"><xsl:value-of select="f:reading-text(.)"/></p>
        </xsl:for-each>
        <xsl:if test="$hdr/tei:encodingDesc/tei:projectDesc">
          <section aria-labelledby="about-heading">
            <h2 id="about-heading"><xsl:value-of select="f:msg('home.about')"/></h2>
            <xsl:apply-templates select="$hdr/tei:encodingDesc/tei:projectDesc/node()" mode="m:text"/>
          </section>
        </xsl:if>
        <section aria-labelledby="start-heading">
          <h2 id="start-heading"><xsl:value-of select="f:msg('home.start')"/></h2>
          <ul class="home-links">
            <xsl:for-each select="doc">
              <li class="home-featured"><xsl:value-of select="f:msg('home.featured')"/><xsl:text> </xsl:text><a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                (<xsl:call-template name="fp:time"/>)</li>
            </xsl:for-each>
            <!-- #18: a long list of them ends with a link to all of them (the listing's Text filter) -->
            <xsl:if test="@more-transcribed"><li class="home-featured"><a href="{$root}documents.html?text=full"><xsl:value-of select="f:msg-n('home.more-transcribed', xs:integer(@more-transcribed))"/></a></li></xsl:if>
            <li><xsl:sequence select="f:msg-nodes('home.documents', map{'documents': fp:link($root || 'documents.html', f:msg-n('home.all-documents', xs:integer(@documents))), 'chronology': fp:link($root || 'chronology.html', f:msg('home.as-chronology'))})"/></li>
            <li><xsl:sequence select="f:msg-nodes('home.registers', map{'persons': fp:link($root || 'persons.html', f:msg-n('count.persons', xs:integer(@persons))), 'places': fp:link($root || 'places.html', f:msg-n('count.places', xs:integer(@places))), 'map': fp:link($root || 'map.html', f:msg('home.map')), 'orgs': fp:link($root || 'orgs.html', f:msg-n('count.orgs', xs:integer(@orgs)))})"/></li>
            <li><xsl:sequence select="f:msg-nodes('home.search', map{'search': fp:link($root || 'search.html', f:msg('home.search-link'))})"/></li>
            <li><xsl:sequence select="f:msg-nodes('home.principles', map{'principles': fp:link($root || 'principles.html', f:msg('home.principles-link'))})"/></li>
            <!-- #14: the whole volume as a PDF ([html] pdf_url) -->
            <xsl:if test="normalize-space($edition-context/edition/@pdf-url)">
              <xsl:variable name="pdf-base" select="(if (matches($edition-context/edition/@pdf-url, '^https?:')) then '' else $root) || $edition-context/edition/@pdf-url"/>
              <xsl:variable name="volumes" select="let $v := tokenize($edition-context/edition/@pdf-volumes) return if (exists($v)) then $v else 'edition.pdf'"/>
              <li class="home-pdf">
                <xsl:choose>
                  <xsl:when test="count($volumes) = 1">
                    <a href="{$pdf-base}{$volumes}" type="application/pdf"><xsl:value-of select="f:msg('home.pdf')"/></a>
                  </xsl:when>
                  <xsl:otherwise>
                    <xsl:variable name="links" as="node()*">
                      <xsl:for-each select="$volumes">
                        <a href="{$pdf-base}{.}" type="application/pdf"><xsl:value-of select="f:msg('home.pdf-part', map{'n': position()})"/></a>
                        <xsl:if test="position() != last()">, </xsl:if>
                      </xsl:for-each>
                    </xsl:variable>
                    <xsl:sequence select="f:msg-nodes('home.pdf-parts', map{'n': string(count($volumes)), 'parts': $links})"/>
                  </xsl:otherwise>
                </xsl:choose>
              </li>
            </xsl:if>
          </ul>
        </section>
        <section aria-labelledby="cite-heading">
          <h2 id="cite-heading"><xsl:value-of select="f:msg('home.cite')"/></h2>
          <xsl:variable name="fd" select="$hdr/tei:fileDesc"/>
          <xsl:variable name="by" select="($fd/tei:titleStmt/tei:editor, $fd/tei:publicationStmt/(tei:publisher, tei:authority, tei:distributor))[normalize-space()][1]"/>
          <xsl:variable name="when" select="($fd/tei:editionStmt//tei:date, $fd/tei:publicationStmt/tei:date)[1]"/>
          <p class="cite-text"><cite><xsl:value-of select="$f:site-title"/></cite><xsl:if test="$fd/tei:editionStmt/tei:edition[normalize-space()]">, <xsl:value-of select="normalize-space($fd/tei:editionStmt/tei:edition[1])"/></xsl:if><xsl:if test="$by">. <xsl:value-of select="normalize-space($by)"/></xsl:if><xsl:if test="$when">, <xsl:value-of select="f:date-element-label($when)"/></xsl:if>.</p>
          <p><xsl:value-of select="f:msg('home.cite-help')"/></p>
        </section>
        <xsl:if test="$hdr/tei:fileDesc/tei:titleStmt/tei:respStmt">
          <section aria-labelledby="resp-heading">
            <h2 id="resp-heading"><xsl:value-of select="f:msg('home.resp')"/></h2>
            <dl class="info-list">
              <xsl:for-each select="$hdr/tei:fileDesc/tei:titleStmt/tei:respStmt">
                <div class="info-row"><dt><xsl:value-of select="fp:ucfirst(string-join(tei:resp, '; '))"/></dt>
                  <dd><xsl:apply-templates select="* except tei:resp" mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></dd></div>
              </xsl:for-each>
            </dl>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <!-- The editorial principles, for readers (edition.xml's editorialDecl: its paragraphs, then
       its normalisation, correction … each under a heading), the notes on the sources and the
       licence. -->
  <xsl:template match="page[@kind = 'principles']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:variable name="hdr" select="$edition-file/tei:TEI/tei:teiHeader"/>
    <xsl:variable name="decl" select="$hdr/tei:encodingDesc/tei:editorialDecl"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="f:msg('nav.principles')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'principles'"/>
      <xsl:with-param name="page-class" select="'page-principles reader-page'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.principles')"/></h1>
        <xsl:if test="empty($decl)"><p><xsl:value-of select="f:msg('principles.none')"/></p></xsl:if>
        <xsl:for-each select="$decl/tei:p">
          <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
        </xsl:for-each>
        <xsl:for-each select="$decl/*[not(self::tei:p)][.//tei:p]">
          <section aria-labelledby="principles-{local-name()}">
            <h2 id="principles-{local-name()}"><xsl:value-of select="(local-name()[. = ('normalization', 'correction',
              'interpretation', 'quotation', 'hyphenation', 'segmentation',
              'punctuation', 'stdVals')] ! f:msg('principles.' || .), fp:ucfirst(local-name()))[1]"/></h2>
            <xsl:for-each select=".//tei:p">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:for-each>
        <xsl:if test="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
          <section aria-labelledby="notes-heading">
            <h2 id="notes-heading"><xsl:value-of select="f:msg('principles.notes')"/></h2>
            <xsl:for-each select="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:if>
        <xsl:if test="$hdr//tei:licence">
          <section aria-labelledby="licence-heading">
            <h2 id="licence-heading"><xsl:value-of select="f:msg('layout.licence')"/></h2>
            <xsl:for-each select="$hdr//tei:licence">
              <p><xsl:value-of select="normalize-space(.)"/>
                <xsl:if test="f:safe-url(@target)"><xsl:text> </xsl:text><a href="{f:safe-url(@target)}" rel="license"><xsl:value-of select="f:msg('principles.licence-text')"/></a>.</xsl:if></p>
            </xsl:for-each>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'chronology']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="if (xs:integer((@pages, 1)[1]) gt 1) then f:msg('index.page-title', map{'index': f:msg('nav.chronology'), 'label': string(link[@number = current()/@number]/@label)}) else f:msg('nav.chronology')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'chronology'"/>
      <xsl:with-param name="page-class" select="'page-chronology'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.chronology')"/></h1>
        <!-- the badge "full text" only in an edition where some documents are not transcribed -->
        <xsl:variable name="partly" select="if (@partly) then @partly = 'true' else exists(doc[@transcribed = 'false'])"/>
        <!-- #18: a large chronology has pages of whole years (site.py), linked here -->
        <xsl:call-template name="fp:part-nav"><xsl:with-param name="label" select="f:msg('chronology.years')"/></xsl:call-template>
        <xsl:for-each-group select="doc" group-adjacent="if (matches(@when, '^-?\d{4}')) then replace(@when, '^(-?\d{4}).*$', '$1') else 'Undated'">
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}"><xsl:value-of select="if (current-grouping-key() = 'Undated') then f:msg('date.undated') else current-grouping-key()"/></h2>
            <ol class="timeline">
              <xsl:for-each select="current-group()">
                <!-- #14: date and title in two columns (one above the other on a narrow screen) -->
                <li>
                  <span class="timeline-date"><xsl:call-template name="fp:time"/></span>
                  <span class="timeline-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                    <xsl:if test="@transcribed = 'true' and $partly"><xsl:text> </xsl:text><span class="badge badge-full"><xsl:value-of select="f:msg('chronology.full')"/></span></xsl:if></span>
                </li>
              </xsl:for-each>
            </ol>
          </section>
        </xsl:for-each-group>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'search']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="f:msg('nav.search')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'search'"/>
      <xsl:with-param name="page-class" select="'page-search'"/>
      <xsl:with-param name="content">
        <h1><xsl:value-of select="f:msg('nav.search')"/></h1>
        <form class="search-form" role="search" action="search.html" method="get" data-bundles="{@bundles}">
          <label for="search-input"><xsl:value-of select="f:msg('search.label')"/></label>
          <input type="search" id="search-input" name="q" autocomplete="off"/>
          <button type="submit"><xsl:value-of select="f:msg('search.submit')"/></button>
        </form>
        <!-- #14: filters (built from the index's own, data-pagefind-filter) and sort by date -->
        <div class="search-options" id="search-options" hidden="hidden">
          <p class="facet">
            <label for="search-sort"><xsl:value-of select="f:msg('search.order')"/></label>
            <select id="search-sort" name="sort">
              <option value=""><xsl:value-of select="f:msg('search.best')"/></option>
              <option value="asc"><xsl:value-of select="f:msg('search.oldest')"/></option>
              <option value="desc"><xsl:value-of select="f:msg('search.newest')"/></option>
            </select>
          </p>
          <div class="search-filters facets" id="search-filters" role="group" aria-label="{f:msg('search.filter')}"></div>
        </div>
        <p class="search-status" id="search-status" aria-live="polite"><xsl:if test="not(normalize-space(@bundles))"><xsl:sequence select="f:msg-nodes('search.no-index', map{'command': fp:code('edition build html --no-search')})"/></xsl:if></p>
        <ol class="search-results" id="search-results"></ol>
        <noscript><p><xsl:sequence select="f:msg-nodes('search.noscript', map{'documents': fp:link($root || 'documents.html', f:msg('search.documents-link'))})"/></p></noscript>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="page" mode="m:page" priority="-1">
    <xsl:message terminate="yes">unknown page kind <xsl:value-of select="@kind"/></xsl:message>
  </xsl:template>
</xsl:stylesheet>
