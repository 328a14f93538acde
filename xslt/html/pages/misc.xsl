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
            <h2 id="about-heading">About this edition</h2>
            <xsl:apply-templates select="$hdr/tei:encodingDesc/tei:projectDesc/node()" mode="m:text"/>
          </section>
        </xsl:if>
        <section aria-labelledby="start-heading">
          <h2 id="start-heading">Start reading</h2>
          <ul class="home-links">
            <xsl:for-each select="doc">
              <li class="home-featured">The fully transcribed document: <a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                (<xsl:call-template name="fp:time"/>)</li>
            </xsl:for-each>
            <!-- #18: a long list of them ends with a link to all of them (the listing's Text filter) -->
            <xsl:if test="@more-transcribed"><li class="home-featured"><a href="{$root}documents.html?text=full"><xsl:value-of select="concat('And ', @more-transcribed, ' more fully transcribed documents')"/></a></li></xsl:if>
            <li><a href="{$root}documents.html">All <xsl:value-of select="@documents"/> documents</a> in date order, or <a href="{$root}chronology.html">as a chronology</a></li>
            <li>The <a href="{$root}persons.html"><xsl:value-of select="@persons"/> persons</a>, <a href="{$root}places.html"><xsl:value-of select="@places"/> places</a> (on a <a href="{$root}map.html">map</a>) and <a href="{$root}orgs.html"><xsl:value-of select="@orgs"/> organisations</a> they name</li>
            <li><a href="{$root}search.html">Search</a> the documents and the indexes</li>
            <li>How the texts are edited: the <a href="{$root}principles.html">editorial principles</a></li>
            <!-- #14: the whole volume as a PDF ([html] pdf_url) -->
            <xsl:if test="normalize-space($edition-context/edition/@pdf-url)">
              <li><a href="{if (matches($edition-context/edition/@pdf-url, '^https?:')) then '' else $root}{$edition-context/edition/@pdf-url}edition.pdf" type="application/pdf">The whole edition as one PDF</a></li>
            </xsl:if>
          </ul>
        </section>
        <section aria-labelledby="cite-heading">
          <h2 id="cite-heading">How to cite</h2>
          <xsl:variable name="fd" select="$hdr/tei:fileDesc"/>
          <xsl:variable name="by" select="($fd/tei:titleStmt/tei:editor, $fd/tei:publicationStmt/(tei:publisher, tei:authority, tei:distributor))[normalize-space()][1]"/>
          <xsl:variable name="when" select="($fd/tei:editionStmt//tei:date, $fd/tei:publicationStmt/tei:date)[1]"/>
          <p class="cite-text"><cite><xsl:value-of select="$f:site-title"/></cite><xsl:if test="$fd/tei:editionStmt/tei:edition[normalize-space()]">, <xsl:value-of select="normalize-space($fd/tei:editionStmt/tei:edition[1])"/></xsl:if><xsl:if test="$by">. <xsl:value-of select="normalize-space($by)"/></xsl:if><xsl:if test="$when">, <xsl:value-of select="f:date-element-label($when)"/></xsl:if>.</p>
          <p>Each document’s page gives its own suggested citation; every paragraph of a text has a
            stable anchor, so a passage can be cited by its address.</p>
        </section>
        <xsl:if test="$hdr/tei:fileDesc/tei:titleStmt/tei:respStmt">
          <section aria-labelledby="resp-heading">
            <h2 id="resp-heading">Responsibilities</h2>
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
      <xsl:with-param name="title" select="'Editorial principles'"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'principles'"/>
      <xsl:with-param name="page-class" select="'page-principles reader-page'"/>
      <xsl:with-param name="content">
        <h1>Editorial principles</h1>
        <xsl:if test="empty($decl)"><p>This edition does not describe its editorial principles.</p></xsl:if>
        <xsl:for-each select="$decl/tei:p">
          <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
        </xsl:for-each>
        <xsl:for-each select="$decl/*[not(self::tei:p)][.//tei:p]">
          <section aria-labelledby="principles-{local-name()}">
            <h2 id="principles-{local-name()}"><xsl:value-of select="(map{'normalization': 'Normalisation', 'correction': 'Corrections',
              'interpretation': 'Interpretation', 'quotation': 'Quotation', 'hyphenation': 'Hyphenation', 'segmentation': 'Segmentation',
              'punctuation': 'Punctuation', 'stdVals': 'Standard values'}(local-name()), fp:ucfirst(local-name()))[1]"/></h2>
            <xsl:for-each select=".//tei:p">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:for-each>
        <xsl:if test="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
          <section aria-labelledby="notes-heading">
            <h2 id="notes-heading">Notes on the sources</h2>
            <xsl:for-each select="$hdr/tei:fileDesc/tei:notesStmt/tei:note">
              <p><xsl:apply-templates mode="m:text"><xsl:with-param name="inline" tunnel="yes" select="true()"/></xsl:apply-templates></p>
            </xsl:for-each>
          </section>
        </xsl:if>
        <xsl:if test="$hdr//tei:licence">
          <section aria-labelledby="licence-heading">
            <h2 id="licence-heading">Licence</h2>
            <xsl:for-each select="$hdr//tei:licence">
              <p><xsl:value-of select="normalize-space(.)"/>
                <xsl:if test="f:safe-url(@target)"><xsl:text> </xsl:text><a href="{f:safe-url(@target)}" rel="license">The licence’s text</a>.</xsl:if></p>
            </xsl:for-each>
          </section>
        </xsl:if>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page[@kind = 'chronology']" mode="m:page">
    <xsl:variable name="root" select="string(@root)"/>
    <xsl:call-template name="f:page">
      <xsl:with-param name="title" select="concat('Chronology', if (xs:integer((@pages, 1)[1]) gt 1) then concat(', ', link[@number = current()/@number]/@label) else '')"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'chronology'"/>
      <xsl:with-param name="page-class" select="'page-chronology'"/>
      <xsl:with-param name="content">
        <h1>Chronology</h1>
        <!-- the badge "full text" only in an edition where some documents are not transcribed -->
        <xsl:variable name="partly" select="if (@partly) then @partly = 'true' else exists(doc[@transcribed = 'false'])"/>
        <!-- #18: a large chronology has pages of whole years (site.py), linked here -->
        <xsl:call-template name="fp:part-nav"><xsl:with-param name="label" select="'Years'"/></xsl:call-template>
        <xsl:for-each-group select="doc" group-adjacent="if (matches(@when, '^-?\d{4}')) then replace(@when, '^(-?\d{4}).*$', '$1') else 'Undated'">
          <section class="year" aria-labelledby="year-{current-grouping-key()}">
            <h2 id="year-{current-grouping-key()}"><xsl:value-of select="current-grouping-key()"/></h2>
            <ol class="timeline">
              <xsl:for-each select="current-group()">
                <!-- #14: date and title in two columns (one above the other on a narrow screen) -->
                <li>
                  <span class="timeline-date"><xsl:call-template name="fp:time"/></span>
                  <span class="timeline-title"><a href="{$root}{@page}"><xsl:value-of select="@title"/></a>
                    <xsl:if test="@transcribed = 'true' and $partly"><xsl:text> </xsl:text><span class="badge badge-full">full text</span></xsl:if></span>
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
      <xsl:with-param name="title" select="'Search'"/>
      <xsl:with-param name="root" select="$root"/>
      <xsl:with-param name="section" select="'search'"/>
      <xsl:with-param name="page-class" select="'page-search'"/>
      <xsl:with-param name="content">
        <h1>Search</h1>
        <form class="search-form" role="search" action="search.html" method="get" data-bundles="{@bundles}">
          <label for="search-input">Search documents, persons, places and organisations</label>
          <input type="search" id="search-input" name="q" autocomplete="off"/>
          <button type="submit">Search</button>
        </form>
        <!-- #14: filters (built from the index's own, data-pagefind-filter) and sort by date -->
        <div class="search-options" id="search-options" hidden="hidden">
          <p class="facet">
            <label for="search-sort">Order</label>
            <select id="search-sort" name="sort">
              <option value="">Best match first</option>
              <option value="asc">Oldest first</option>
              <option value="desc">Newest first</option>
            </select>
          </p>
          <div class="search-filters facets" id="search-filters" role="group" aria-label="Filter the results"></div>
        </div>
        <p class="search-status" id="search-status" aria-live="polite"><xsl:if test="not(normalize-space(@bundles))">This build of the edition has no search index (it was made with <code>edition build html --no-search</code>).</xsl:if></p>
        <ol class="search-results" id="search-results"></ol>
        <noscript><p>Search needs JavaScript. The <a href="{$root}documents.html">documents</a> and the indices can be browsed without it.</p></noscript>
      </xsl:with-param>
    </xsl:call-template>
  </xsl:template>
  <xsl:template match="page" mode="m:page" priority="-1">
    <xsl:message terminate="yes">unknown page kind <xsl:value-of select="@kind"/></xsl:message>
  </xsl:template>
</xsl:stylesheet>
